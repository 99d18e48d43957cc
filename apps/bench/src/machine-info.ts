import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';

/** The machine a run measured, for the report and the --json file. */
export type MachineInfo = Readonly<Record<string, string | number | boolean>>;

/** CPU model, cores, memory, load, Node and V8, plus `extra` facts (kernels, library versions). */
export function machineInfo(extra: Readonly<Record<string, string | number | boolean>> = {}): MachineInfo {
  const list = cpus();
  const [load1, load5] = loadavg();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    logicalCores: list.length,
    availableParallelism: availableParallelism(),
    loadAverage1m: Number(load1.toFixed(2)),
    loadAverage5m: Number(load5.toFixed(2)),
    totalMemoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    v8: process.versions.v8,
    ...extra,
  };
}

/** The machine in a few lines. */
export function formatMachineInfo(info: MachineInfo): string {
  const gib = (bytes: unknown): string => `${(Number(bytes) / 2 ** 30).toFixed(1)} GiB`;
  const lines = [
    `machine: ${info.cpuModel}, ${info.logicalCores} logical cores (${info.availableParallelism} available), ` +
      `${gib(info.totalMemoryBytes)} memory (${gib(info.freeMemoryBytes)} free), load ${info.loadAverage1m}/${info.loadAverage5m} (1/5 min)`,
    `runtime: Node ${info.node}, V8 ${info.v8}, ${info.platform}`,
  ];
  const known = new Set(['cpuModel', 'logicalCores', 'availableParallelism', 'loadAverage1m', 'loadAverage5m', 'totalMemoryBytes', 'freeMemoryBytes', 'platform', 'node', 'v8']);
  const extra = Object.entries(info).filter(([key]) => !known.has(key));
  if (extra.length > 0) lines.push(extra.map(([key, value]) => `${key}: ${value}`).join(', '));
  return lines.join('\n');
}
