import { BACKEND_IDS, type BackendId } from './browser-backends-ids.js';
import { lossSurface, SURFACE_IDS, type SurfaceId } from './loss-surface.js';
import { PRESET_IDS, presetDefaults, type PresetId, type RMSPropSettings } from './rmsprop-settings.js';

/** Everything the page shows is a function of this; it lives in the URL's query, so a link reproduces it. */
export interface PlaygroundState extends RMSPropSettings {
  readonly surface: SurfaceId;
  readonly backend: BackendId;
  readonly steps: number;
  /** The start point; null: the surface's default. */
  readonly start: readonly [number, number] | null;
}

export const STEP_CHOICES = [100, 200, 300, 500, 800, 1000] as const;

/** The state a visitor first sees: the ill-conditioned quadratic, where the lesson is clearest. */
export function defaultState(surface: SurfaceId = 'ill-conditioned'): PlaygroundState {
  const s = lossSurface(surface);
  return { surface, backend: 'cpu', preset: 'spec', learningRate: s.learningRate, ...presetDefaults('spec'), momentum: 0, centered: false, steps: s.defaultSteps, start: null };
}

const finite = (text: string | null, min: number, max: number): number | undefined => {
  if (text === null || text.trim() === '') return undefined;
  const x = Number(text);
  return Number.isFinite(x) && x >= min && x <= max ? x : undefined;
};

/** The state in a query string; missing or invalid fields take their defaults (a bad link still opens). */
export function parseState(query: string): PlaygroundState {
  const q = new URLSearchParams(query);
  const surfaceText = q.get('surface');
  const surface = (SURFACE_IDS as readonly string[]).includes(surfaceText ?? '') ? (surfaceText as SurfaceId) : 'ill-conditioned';
  const base = defaultState(surface);
  const backendText = q.get('backend');
  const presetText = q.get('preset');
  const preset = (PRESET_IDS as readonly string[]).includes(presetText ?? '') ? (presetText as PresetId) : base.preset;
  const defaults = presetDefaults(preset);
  const stepsValue = finite(q.get('steps'), 1, 5000);
  const x = finite(q.get('x'), -1e3, 1e3);
  const y = finite(q.get('y'), -1e3, 1e3);
  return {
    surface,
    backend: (BACKEND_IDS as readonly string[]).includes(backendText ?? '') ? (backendText as BackendId) : base.backend,
    preset,
    learningRate: finite(q.get('lr'), 0, 10) ?? base.learningRate,
    rho: finite(q.get('rho'), 0, 0.999999) ?? defaults.rho,
    epsilon: finite(q.get('eps'), 1e-30, 10) ?? defaults.epsilon,
    momentum: finite(q.get('momentum'), 0, 0.999) ?? base.momentum,
    centered: q.get('centered') === '1',
    steps: stepsValue === undefined ? base.steps : Math.round(stepsValue),
    start: x !== undefined && y !== undefined ? [x, y] : null,
  };
}

/** The query string for a state (only what differs from the surface's defaults, so links stay short). */
export function formatState(state: PlaygroundState): string {
  const base = defaultState(state.surface);
  const defaults = presetDefaults(state.preset);
  const q = new URLSearchParams();
  q.set('surface', state.surface);
  if (state.backend !== base.backend) q.set('backend', state.backend);
  if (state.preset !== base.preset) q.set('preset', state.preset);
  if (state.learningRate !== base.learningRate) q.set('lr', String(state.learningRate));
  if (state.rho !== defaults.rho) q.set('rho', String(state.rho));
  if (state.epsilon !== defaults.epsilon) q.set('eps', String(state.epsilon));
  if (state.momentum !== 0) q.set('momentum', String(state.momentum));
  if (state.centered) q.set('centered', '1');
  if (state.steps !== base.steps) q.set('steps', String(state.steps));
  if (state.start !== null) {
    q.set('x', state.start[0].toPrecision(4));
    q.set('y', state.start[1].toPrecision(4));
  }
  return q.toString();
}
