/** The buffer registered under `name`, or null. */
export declare function find(name: string): Float32Array | null;
/** A buffer that is always there. */
export declare function always(): Float32Array;
