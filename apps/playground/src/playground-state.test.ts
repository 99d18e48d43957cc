import { describe, expect, it } from 'vitest';
import { defaultState, formatState, parseState } from './playground-state.js';

describe('state in the URL', () => {
  it('round-trips every field', () => {
    const state = { ...defaultState('rosenbrock'), backend: 'gpujs' as const, preset: 'keras' as const, learningRate: 0.003, rho: 0.95, epsilon: 1e-6, momentum: 0.5, centered: true, steps: 500, start: [-1.25, 2.5] as const };
    expect(parseState(formatState(state))).toEqual(state);
  });

  it('the defaults make a short link', () => {
    expect(formatState(defaultState())).toBe('surface=ill-conditioned');
  });

  it('a bad or partial link still opens, with the defaults where a field is missing or invalid', () => {
    const state = parseState('surface=nope&lr=-1&rho=abc&backend=quantum&steps=1e9&x=3');
    expect(state).toEqual(defaultState('ill-conditioned'));
  });

  it('a preset brings its own ρ and ε unless the link sets them', () => {
    expect(parseState('surface=beale&preset=pytorch')).toMatchObject({ rho: 0.99, epsilon: 1e-8 });
    expect(parseState('surface=beale&preset=pytorch&rho=0.5')).toMatchObject({ rho: 0.5, epsilon: 1e-8 });
  });
});
