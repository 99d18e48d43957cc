import { BackendRegistry, type BackendSelection } from '@rmsprop/core';
import { createCpuBackend } from '@rmsprop/backend-cpu';

/**
 * Register the backends this demo knows and let the registry pick: nothing registers itself on import.
 * Today that is the CPU kernel alone; `selection.reason` and `selection.skipped` say why it won.
 */
export async function selectBackend(): Promise<BackendSelection> {
  const registry = new BackendRegistry();
  registry.register('cpu', createCpuBackend, 100);
  return registry.select();
}
