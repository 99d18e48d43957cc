/**
 * The page: reads the state from the URL, probes the backends this browser has, runs the race on the
 * chosen surface (RMSProp on the chosen backend, the others in float64 JS), animates it, draws the
 * charts, and trains the tiny network on demand. Every change of a control updates the URL.
 */
import type { RMSPropBackend } from '@rmsprop/core';
import { BACKEND_IDS, BACKEND_LABELS, createBrowserBackend, probeBrowserBackends, type BackendAvailability, type BackendId } from './browser-backends.js';
import { ContourPlot } from './contour-plot.js';
import { drawLineChart, type ChartSeries } from './line-chart.js';
import { lossSurface, SURFACE_IDS, type SurfaceId } from './loss-surface.js';
import { NETWORK_SGD_RATE, NetworkTrainer } from './network-trainer.js';
import { formatState, parseState, STEP_CHOICES, type PlaygroundState } from './playground-state.js';
import { RACER_IDS, RACER_STYLE, racerLearningRate, type RacerId } from './racers.js';
import { PRESET_IDS, presetDefaults, type PresetId } from './rmsprop-settings.js';
import { runRace, type Track } from './run-race.js';
import { predict } from './tiny-mlp.js';
import { twoSpirals } from './two-spirals.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let state: PlaygroundState = parseState(location.search);
let availability: BackendAvailability[] = [];
let tracks: Track[] = [];
let shown = 0;
let animation = 0;
let runError: string | null = null;

const plot = new ContourPlot($<HTMLCanvasElement>('contour'));

/** Runs one backend at a time: tfjs backends share tfjs's global state, so each is disposed after use. */
let queue: Promise<unknown> = Promise.resolve();
function withBackend<T>(id: BackendId, use: (backend: RMSPropBackend) => T | Promise<T>): Promise<T> {
  const next = queue.then(async () => {
    const backend = await createBrowserBackend(id);
    try {
      return await use(backend);
    } finally {
      backend.dispose();
    }
  });
  queue = next.catch(() => undefined);
  return next;
}

function setState(next: PlaygroundState, rerun = true): void {
  state = next;
  history.replaceState(null, '', `?${formatState(state)}`);
  syncControls();
  if (rerun) void rerunRace();
}

// ---- controls -------------------------------------------------------------------------------------------

function buildControls(): void {
  const picker = $('surface-picker');
  for (const id of SURFACE_IDS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('role', 'radio');
    b.dataset.surface = id;
    b.textContent = lossSurface(id).title.replace(/ \(.*\)$/, '');
    b.addEventListener('click', () => selectSurface(id));
    b.addEventListener('keydown', (e) => {
      const k = SURFACE_IDS.indexOf(id);
      const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
      if (step === 0) return;
      e.preventDefault();
      const next = SURFACE_IDS[(k + step + SURFACE_IDS.length) % SURFACE_IDS.length]!;
      selectSurface(next);
      (picker.querySelector(`[data-surface="${next}"]`) as HTMLButtonElement).focus();
    });
    picker.append(b);
  }
  const preset = $<HTMLSelectElement>('preset');
  for (const id of PRESET_IDS) preset.append(new Option(id === 'spec' ? 'the spec’s defaults' : id, id));
  const steps = $<HTMLSelectElement>('steps');
  for (const n of STEP_CHOICES) steps.append(new Option(String(n), String(n)));
  const backend = $<HTMLSelectElement>('backend');
  for (const id of BACKEND_IDS) backend.append(new Option(`${BACKEND_LABELS[id]} (probing…)`, id));
  const network = $<HTMLSelectElement>('network-optimizer');
  for (const id of RACER_IDS) network.append(new Option(RACER_STYLE[id].label, id));
  network.value = 'rmsprop';

  preset.addEventListener('change', () => setState({ ...state, preset: preset.value as PresetId, ...presetDefaults(preset.value as PresetId) }));
  const numeric = (id: 'learningRate' | 'rho' | 'epsilon' | 'momentum') => {
    const input = $<HTMLInputElement>(id);
    input.addEventListener('change', () => {
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(v) || v < Number(input.min) || v > Number(input.max)) {
        input.setCustomValidity(`${id} must be a number from ${input.min} to ${input.max}`);
        input.reportValidity();
        return;
      }
      input.setCustomValidity('');
      setState({ ...state, [id]: v });
    });
  };
  numeric('learningRate');
  numeric('rho');
  numeric('epsilon');
  numeric('momentum');
  $<HTMLInputElement>('centered').addEventListener('change', (e) => setState({ ...state, centered: (e.target as HTMLInputElement).checked }));
  steps.addEventListener('change', () => setState({ ...state, steps: Number(steps.value) }));
  backend.addEventListener('change', () => setState({ ...state, backend: backend.value as BackendId }));
  $('replay').addEventListener('click', () => animate());
  $('reset-start').addEventListener('click', () => setState({ ...state, start: null }));
  $('copy-link').addEventListener('click', () => {
    void navigator.clipboard?.writeText(location.href).then(
      () => status('Link copied.'),
      () => status(location.href),
    );
  });
  const canvas = plot.canvas;
  canvas.addEventListener('click', (e) => {
    const rect = canvas.getBoundingClientRect();
    setState({ ...state, start: plot.toWorld(e.clientX - rect.left, e.clientY - rect.top) });
  });
  canvas.addEventListener('keydown', (e) => {
    const s = lossSurface(state.surface);
    const [x0, x1, y0, y1] = s.box;
    const [x, y] = state.start ?? s.start;
    const dx = (x1 - x0) / 40;
    const dy = (y1 - y0) / 40;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
    if (e.key in moves) {
      e.preventDefault();
      const [mx, my] = moves[e.key]!;
      setState({ ...state, start: [Math.min(x1, Math.max(x0, x + mx)), Math.min(y1, Math.max(y0, y + my))] });
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      animate();
    }
  });
  $('network-train').addEventListener('click', () => void trainNetwork());
}

function selectSurface(id: SurfaceId): void {
  const s = lossSurface(id);
  setState({ ...state, surface: id, learningRate: s.learningRate, steps: s.defaultSteps, start: null });
}

function syncControls(): void {
  const s = lossSurface(state.surface);
  for (const b of $('surface-picker').querySelectorAll('button')) {
    const on = b.dataset.surface === state.surface;
    b.setAttribute('aria-checked', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  $('surface-title').textContent = s.title;
  $('lesson').textContent = s.lesson;
  $<HTMLSelectElement>('preset').value = state.preset;
  $<HTMLInputElement>('learningRate').value = String(state.learningRate);
  $<HTMLInputElement>('rho').value = String(state.rho);
  $<HTMLInputElement>('epsilon').value = String(state.epsilon);
  $<HTMLInputElement>('momentum').value = String(state.momentum);
  $<HTMLInputElement>('centered').checked = state.centered;
  $<HTMLSelectElement>('steps').value = String(state.steps);
  $<HTMLSelectElement>('backend').value = state.backend;
  const notes: Record<PresetId, string> = {
    spec: 'The spec’s defaults: ε outside the root, η applied after the momentum buffer, v from 0.',
    pytorch: 'torch.optim.RMSprop: ε outside the root, η after the momentum buffer.',
    keras: 'Keras 3: ε inside the root, η inside the momentum buffer.',
    tfjs: 'tf.train.rmsprop: ε inside the root, η inside the momentum buffer.',
    optax: 'optax.rmsprop: ε inside the root (eps_in_sqrt), η inside the trace.',
  };
  $('preset-note').textContent = notes[state.preset];
  const legend = $('legend');
  legend.replaceChildren(
    ...RACER_IDS.map((id) => {
      const li = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.borderTopColor = RACER_STYLE[id].color;
      swatch.style.borderTopStyle = RACER_STYLE[id].dash.length === 0 ? 'solid' : 'dashed';
      const track = tracks.find((t) => t.id === id);
      const tail = track?.divergedAt != null ? ` — diverged at step ${track.divergedAt}` : '';
      li.append(swatch, `${RACER_STYLE[id].label} (η ${racerLearningRate(id, s, state)})${id === 'rmsprop' ? ` on ${BACKEND_LABELS[state.backend]}` : ''}${tail}`);
      return li;
    }),
  );
}

function showAvailability(): void {
  const select = $<HTMLSelectElement>('backend');
  const list = $('backend-status');
  list.replaceChildren();
  for (const a of availability) {
    const option = [...select.options].find((o) => o.value === a.id)!;
    option.textContent = a.available ? BACKEND_LABELS[a.id] : `${BACKEND_LABELS[a.id]} — not available`;
    option.disabled = !a.available;
    const li = document.createElement('li');
    li.textContent = a.available ? `${BACKEND_LABELS[a.id]}: runs (${a.details})` : `${BACKEND_LABELS[a.id]}: not available here — ${a.reason}`;
    if (!a.available) li.className = 'no';
    list.append(li);
  }
}

function status(text: string): void {
  $('status').textContent = text;
}

// ---- the race ---------------------------------------------------------------------------------------------

async function rerunRace(): Promise<void> {
  const surface = lossSurface(state.surface);
  const start = state.start ?? surface.start;
  const wanted = state;
  try {
    const result = await withBackend(state.backend, (backend) => runRace(surface, wanted, backend, start, wanted.steps));
    if (wanted !== state) return; // a newer change is on its way
    tracks = result;
    runError = null;
    status('');
  } catch (error) {
    runError = error instanceof Error ? error.message : String(error);
    tracks = runRace(surface, state, null as unknown as RMSPropBackend, start, state.steps, RACER_IDS.filter((id) => id !== 'rmsprop'));
    status(`RMSProp could not run on ${BACKEND_LABELS[state.backend]}: ${runError}`);
  }
  syncControls();
  animate();
}

/** Draws the race step by step over about two seconds (by the clock, so slow frames do not stretch it). */
const ANIMATION_MS = 2000;
function animate(): void {
  cancelAnimationFrame(animation);
  shown = 0;
  const total = state.steps;
  const start = performance.now();
  const frame = (now: number) => {
    shown = Math.min(total, Math.max(1, Math.round(((now - start) / ANIMATION_MS) * total)));
    drawAll();
    if (shown < total) animation = requestAnimationFrame(frame);
  };
  drawAll();
  animation = requestAnimationFrame(frame);
}

function series(pick: (t: Track) => { values: ArrayLike<number>; length: number }): ChartSeries[] {
  return tracks.map((t) => ({ label: RACER_STYLE[t.id].label, color: RACER_STYLE[t.id].color, dash: RACER_STYLE[t.id].dash, ...pick(t) }));
}

/** Every other element of a pair array (x: offset 0, y: offset 1). */
function coordinate(values: Float64Array, offset: number, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let k = 0; k < length; k++) out[k] = values[2 * k + offset]!;
  return out;
}

function drawAll(): void {
  const surface = lossSurface(state.surface);
  plot.draw(surface, tracks, shown, shown);
  const adaptive = (t: Track) => t.id === 'adagrad' || t.id === 'rmsprop' || t.id === 'adam';
  // Points outside the view leave a gap (a path escaping the saddle towards −∞ would flatten the rest).
  const [x0, x1, y0, y1] = surface.box;
  const inView = (t: Track, k: number) => t.x[k]! >= x0 && t.x[k]! <= x1 && t.y[k]! >= y0 && t.y[k]! <= y1;
  const lossSeries = series((t) => ({
    values: t.loss.map((v, k) => (!inView(t, k) ? Number.NaN : surface.id === 'saddle' ? v : v - minLoss(surface, k))),
    length: t.length,
  }));
  drawLineChart($('loss-chart'), surface.id === 'saddle' ? 'loss (inside the view)' : 'loss above the minimum (log)', lossSeries, { log: surface.id !== 'saddle', upTo: shown });
  const rate: ChartSeries[] = [];
  const v: ChartSeries[] = [];
  for (const t of tracks.filter(adaptive)) {
    const style = RACER_STYLE[t.id];
    for (const [offset, dash] of [
      [0, []],
      [1, [2, 3]],
    ] as const) {
      rate.push({ label: style.label, color: style.color, dash, values: coordinate(t.rates, offset, t.length), length: t.length });
      if (t.second !== null) v.push({ label: style.label, color: style.color, dash, values: coordinate(t.second, offset, t.length), length: t.length });
    }
  }
  drawLineChart($('rate-chart'), 'effective learning rate (log; solid x, dotted y)', rate, { log: true, upTo: shown });
  drawLineChart($('v-chart'), 'v: RMSProp, Adam; Σg²: AdaGrad (log)', v, { log: true, upTo: shown });
}

/** The loss at the minimum at step k (0 where there is none). */
function minLoss(surface: ReturnType<typeof lossSurface>, k: number): number {
  const m = surface.minimum(k);
  return m === null ? 0 : surface.loss(m[0], m[1], k);
}

// ---- the tiny network -----------------------------------------------------------------------------------------

const spirals = twoSpirals(60);
let training = false;

async function trainNetwork(): Promise<void> {
  const button = $<HTMLButtonElement>('network-train');
  if (training) {
    training = false;
    return;
  }
  training = true;
  button.textContent = 'Stop';
  const optimizer = $<HTMLSelectElement>('network-optimizer').value as RacerId;
  const rateInput = $<HTMLInputElement>('network-rate');
  const rate = Number(rateInput.value);
  if (!(rate >= Number(rateInput.min) && rate <= Number(rateInput.max))) {
    $('network-status').textContent = `η must be a number from ${rateInput.min} to ${rateInput.max}`;
    training = false;
    button.textContent = 'Train';
    return;
  }
  const settings = { ...state, learningRate: rate };
  try {
    await withBackend(state.backend, async (backend) => {
      const trainer = new NetworkTrainer(optimizer, settings, backend, spirals);
      try {
        for (let step = 0; step < 2000 && training; step += 20) {
          for (let k = 0; k < 20; k++) trainer.step();
          drawNetwork(trainer);
          $('network-status').textContent = `step ${trainer.losses.length}, loss ${trainer.losses[trainer.losses.length - 1]!.toFixed(4)} (${RACER_STYLE[optimizer].label}, η ${optimizer === 'sgd' || optimizer === 'momentum' ? NETWORK_SGD_RATE : settings.learningRate}${optimizer === 'rmsprop' ? ` on ${BACKEND_LABELS[state.backend]}` : ''})`;
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
      } finally {
        trainer.dispose();
      }
    });
  } catch (error) {
    $('network-status').textContent = `could not train: ${error instanceof Error ? error.message : String(error)}`;
  }
  training = false;
  button.textContent = 'Train';
}

function drawNetwork(trainer: NetworkTrainer): void {
  const canvas = $<HTMLCanvasElement>('boundary');
  const ctx = canvas.getContext('2d')!;
  const n = 64;
  const image = ctx.createImageData(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const p = predict(trainer.params, -1.2 + (2.4 * (i + 0.5)) / n, 1.2 - (2.4 * (j + 0.5)) / n);
      const k = 4 * (j * n + i);
      image.data[k] = 255 - 90 * p;
      image.data[k + 1] = 225 - 40 * Math.abs(p - 0.5);
      image.data[k + 2] = 165 + 90 * p;
      image.data[k + 3] = 255;
    }
  }
  const small = document.createElement('canvas');
  small.width = n;
  small.height = n;
  small.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  for (let k = 0; k < spirals.size; k++) {
    const x = ((spirals.x[2 * k]! + 1.2) / 2.4) * canvas.width;
    const y = ((1.2 - spirals.x[2 * k + 1]!) / 2.4) * canvas.height;
    ctx.fillStyle = spirals.label[k] === 1 ? '#1f4e9c' : '#b2400f';
    ctx.strokeStyle = '#fff';
    ctx.beginPath();
    ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  drawLineChart($('network-loss'), 'network loss (log)', [{ label: 'loss', color: '#d62728', dash: [], values: trainer.losses, length: trainer.losses.length }], {
    log: true,
    upTo: trainer.losses.length,
  });
}

// ---- start ------------------------------------------------------------------------------------------------------

/** For the browser tests: the page's state and RMSProp's end point on any backend. */
interface PlaygroundHandle {
  ready: Promise<void>;
  state(): PlaygroundState;
  availability(): BackendAvailability[];
  tracks(): { id: RacerId; length: number; end: [number, number] }[];
  /** Whether the race animation has drawn every step. */
  idle(): boolean;
  runRmsprop(backend: BackendId, surface: SurfaceId, steps: number): Promise<[number, number]>;
}

const ready = (async () => {
  buildControls();
  syncControls();
  availability = await probeBrowserBackends();
  showAvailability();
  if (!availability.some((a) => a.id === state.backend && a.available)) {
    const first = availability.find((a) => a.available);
    if (first !== undefined) state = { ...state, backend: first.id };
  }
  setState(state, false);
  drawUntrainedNetwork();
  await rerunRace();
})();

/** The network before training: its random boundary and the data, so the panel is not blank. */
function drawUntrainedNetwork(): void {
  void withBackend('cpu-js', (backend) => {
    const trainer = new NetworkTrainer('sgd', state, backend, spirals);
    drawNetwork(trainer);
    trainer.dispose();
  });
}

(window as unknown as { playground: PlaygroundHandle }).playground = {
  ready,
  state: () => state,
  availability: () => availability,
  idle: () => shown >= state.steps,
  tracks: () => tracks.map((t) => ({ id: t.id, length: t.length, end: [t.x[t.length - 1]!, t.y[t.length - 1]!] })),
  runRmsprop: (backend, surfaceId, steps) =>
    withBackend(backend, (b) => {
      const surface = lossSurface(surfaceId);
      const [track] = runRace(surface, { ...state, learningRate: surface.learningRate }, b, surface.start, steps, ['rmsprop']);
      return [track!.x[track!.length - 1]!, track!.y[track!.length - 1]!] as [number, number];
    }),
};
