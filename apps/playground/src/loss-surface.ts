/**
 * The 2-D loss surfaces the playground offers. Each has f(x, y, t), its gradient (exact, by hand), a view
 * box, a default start and, where it has one, its minimum. `t` is the step (only the moving surface uses it).
 */
export interface LossSurface {
  readonly id: SurfaceId;
  readonly title: string;
  /** One sentence on what it shows about the optimizers. */
  readonly lesson: string;
  /** The view: [xMin, xMax] × [yMin, yMax]. */
  readonly box: readonly [number, number, number, number];
  readonly start: readonly [number, number];
  /** Where the minimum is at step t (null for the saddle, unbounded below). */
  minimum(t: number): readonly [number, number] | null;
  loss(x: number, y: number, t: number): number;
  /** ∂f/∂x and ∂f/∂y at (x, y) and step t, written into `out`. */
  gradient(x: number, y: number, t: number, out: Float64Array): void;
  /** η that makes the comparison instructive here (the controls start from it): RMSProp, AdaGrad and Adam. */
  readonly learningRate: number;
  /**
   * η for SGD and SGD + momentum: about the largest that stays stable at the start (below 2 / the largest
   * curvature there), since the adaptive η would make them diverge on the steep surfaces.
   */
  readonly sgdLearningRate: number;
  /** Steps the page runs by default (the moving surface needs two turns of its minimum). */
  readonly defaultSteps: number;
  /** Whether contour levels are spaced logarithmically (surfaces spanning many decades of loss). */
  readonly logLevels: boolean;
}

export type SurfaceId = 'ill-conditioned' | 'rosenbrock' | 'beale' | 'saddle' | 'moving';

export const SURFACE_IDS: readonly SurfaceId[] = ['ill-conditioned', 'rosenbrock', 'beale', 'saddle', 'moving'];

/** f = (x² + 1000·y²) / 2: curvatures 1 and 1000. */
const illConditioned: LossSurface = {
  id: 'ill-conditioned',
  title: 'Ill-conditioned quadratic (curvatures 1 : 1000)',
  lesson:
    'One step size cannot suit both directions: SGD must keep η below 2/1000 to stay stable across the valley and then crawls along it; RMSProp divides each gradient by its own running size, so both coordinates move at a similar pace.',
  box: [-6, 6, -3, 3],
  start: [-5, 2],
  minimum: () => [0, 0],
  loss: (x, y) => 0.5 * (x * x + 1000 * y * y),
  gradient: (x, y, _t, out) => {
    out[0] = x;
    out[1] = 1000 * y;
  },
  learningRate: 0.05,
  sgdLearningRate: 0.0019,
  defaultSteps: 300,
  logLevels: true,
};

/** f = (1 − x)² + 100·(y − x²)². */
const rosenbrock: LossSurface = {
  id: 'rosenbrock',
  title: 'Rosenbrock',
  lesson: 'A curved, narrow valley: the gradient points across it, not along it, so methods with per-coordinate scaling and momentum make progress where SGD zig-zags.',
  box: [-2, 2, -1, 3],
  start: [-1.5, 2.5],
  minimum: () => [1, 1],
  loss: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  gradient: (x, y, _t, out) => {
    out[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    out[1] = 200 * (y - x * x);
  },
  learningRate: 0.01,
  sgdLearningRate: 0.001,
  defaultSteps: 500,
  logLevels: true,
};

/** f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)². */
const beale: LossSurface = {
  id: 'beale',
  title: 'Beale',
  lesson: 'Flat plateaus next to steep walls: gradients differ by orders of magnitude from place to place, which adaptive rates absorb and fixed rates do not.',
  box: [-4.5, 4.5, -4.5, 4.5],
  start: [1, 1.6],
  minimum: () => [3, 0.5],
  loss: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
  gradient: (x, y, _t, out) => {
    const a = 1.5 - x + x * y;
    const b = 2.25 - x + x * y * y;
    const c = 2.625 - x + x * y ** 3;
    out[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1);
    out[1] = 2 * a * x + 4 * b * x * y + 6 * c * x * y * y;
  },
  learningRate: 0.02,
  sgdLearningRate: 0.001,
  defaultSteps: 300,
  logLevels: true,
};

/** f = x² − y²: a saddle point at the origin, unbounded below along y. */
const saddle: LossSurface = {
  id: 'saddle',
  title: 'Saddle',
  lesson: 'Starting almost on the ridge, the escaping gradient is tiny: SGD barely leaves the saddle, while RMSProp and Adam scale the small gradient up and escape.',
  box: [-2, 2, -2, 2],
  start: [-1.8, 1e-3],
  minimum: () => null,
  loss: (x, y) => x * x - y * y,
  gradient: (x, y, _t, out) => {
    out[0] = 2 * x;
    out[1] = -2 * y;
  },
  learningRate: 0.01,
  sgdLearningRate: 0.01,
  defaultSteps: 300,
  logLevels: false,
};

/** A bowl whose centre circles the origin (radius 1.5, one turn every 400 steps); y is 20× steeper. */
const MOVING_PERIOD = 400;
function movingCentre(t: number): [number, number] {
  const a = (2 * Math.PI * t) / MOVING_PERIOD;
  return [1.5 * Math.cos(a), 1.5 * Math.sin(a)];
}
const moving: LossSurface = {
  id: 'moving',
  title: 'Non-stationary: the minimum moves',
  lesson:
    "The minimum circles the origin. AdaGrad's sum of squared gradients only grows, so its steps shrink until it can no longer follow; RMSProp forgets old gradients at rate ρ and keeps up.",
  box: [-3, 3, -3, 3],
  start: [0, 0],
  minimum: (t) => movingCentre(t),
  loss: (x, y, t) => {
    const [cx, cy] = movingCentre(t);
    return 0.5 * ((x - cx) ** 2 + 20 * (y - cy) ** 2);
  },
  gradient: (x, y, t, out) => {
    const [cx, cy] = movingCentre(t);
    out[0] = x - cx;
    out[1] = 20 * (y - cy);
  },
  learningRate: 0.05,
  sgdLearningRate: 0.05,
  defaultSteps: 800,
  logLevels: false,
};

const SURFACES: Readonly<Record<SurfaceId, LossSurface>> = { 'ill-conditioned': illConditioned, rosenbrock, beale, saddle, moving };

/** The surface with this id. */
export function lossSurface(id: SurfaceId): LossSurface {
  return SURFACES[id];
}
