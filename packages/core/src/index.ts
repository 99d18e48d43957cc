export { DTYPES, LARGEST_FINITE, allocateFloatArray, dtypeOf } from './dtype.js';
export { checkRepresentable } from './check-representable.js';
export type { DType, DTypeOfArray, FloatArray, FloatArrayOf } from './dtype.js';
export {
  ArgumentError,
  BackendUnavailableError,
  ConfigError,
  DisposedError,
  NonFiniteGradientError,
  ParameterNameError,
  RMSPropError,
  ReentrancyError,
  ShapeError,
  StateDictError,
  describeValue,
} from './errors.js';
export type { BackendSkip, RMSPropErrorCode } from './errors.js';
export { CONFIG_FIELDS, DEFAULT_CONFIG, SPEC_VERSION } from './rmsprop-config.js';
export type { EpsilonPlacement, RMSPropConfig, SpecVersion } from './rmsprop-config.js';
export { resolveConfig, validateConfig } from './validate-config.js';
export { kerasPreset, optaxPreset, presets, pytorchPreset, tf1Preset, tfjsPreset } from './presets.js';
export type {
  KerasRMSpropArgs,
  OptaxRMSpropArgs,
  PresetName,
  PyTorchRMSpropArgs,
  Tf1RMSPropArgs,
  TfjsRMSPropArgs,
} from './presets.js';
export { createReferenceState, referenceStep } from './reference-step.js';
export type { ReferenceState } from './reference-step.js';
export type {
  BackendCapabilities,
  BackendDetails,
  BackendFactory,
  BackendSlot,
  BufferLocation,
  HostArrayHandling,
  RMSPropBackend,
  SlotRequest,
  SlotState,
  SlotUpdate,
  StepHyperparameters,
} from './backend.js';
export { BackendRegistry } from './backend-registry.js';
export { checkArrayLength, checkSlotRequest, checkSlotUpdate, checkSlotUpdates, checkStateArrays } from './slot-checks.js';
export type { SlotStateArrays, StepCheckOptions, StepSlot } from './slot-checks.js';
export type { BackendAvailability, BackendEntry, BackendSelection, SelectOptions } from './backend-registry.js';
export {
  constantSchedule,
  cosineSchedule,
  exponentialSchedule,
  linearWarmupSchedule,
  stepSchedule,
} from './learning-rate-schedule.js';
export type { LearningRateSchedule } from './learning-rate-schedule.js';
export { RMSPropOptimizer } from './rmsprop-optimizer.js';
export type { GradientBuffer, OptimizerParameters, ParameterArray, ParameterName } from './optimizer-parameters.js';
export { findNonFinite } from './find-non-finite.js';
export type {
  NonFiniteGradientPolicy,
  ParameterGroup,
  ParameterMap,
  RMSPropOptimizerOptions,
  StepOptions,
} from './rmsprop-optimizer.js';
export { STATE_DICT_FORMAT, decodeNumber, encodeNumbers } from './state-dict.js';
export type { EncodedNumber, ParameterStateEntry, RMSPropStateDict } from './state-dict.js';
export { STATE_BUFFERS, STATE_BUFFER_NAMES, initialState, mapStateBuffers, stateBuffersFor } from './state-buffers.js';
export type { RequiredStateBufferName, StateArrays, StateBuffer, StateBufferName, StateRecord } from './state-buffers.js';
export {
  KERNEL_CONSTANT,
  KERNEL_CONSTANTS,
  UPDATE_VARIANTS,
  createKernelConstants,
  sameKernelConstants,
  setKernelConstants,
  stateMaskOf,
  updateProgram,
  variantIndex,
  variantIndexOf,
  variantOf,
} from './update-program.js';
export type {
  KernelConstantName,
  MomentumKind,
  ProgramBuffer,
  ProgramExpression,
  ProgramOptions,
  ProgramStatement,
  UpdateProgram,
  UpdateVariant,
  WeightDecayKind,
} from './update-program.js';
export { expressionSource, programSource } from './program-source.js';
export type { SourceDialect } from './program-source.js';
export { interpretUpdateProgram } from './interpret-update-program.js';
export type { ProgramOperations } from './interpret-update-program.js';
