/// <reference lib="dom" />
/** A violation event as plain data, URLs as paths of the test server. */
export interface FrameViolation {
  readonly directive: string;
  readonly blockedURI: string;
  readonly sourceFile: string;
}

const seen: FrameViolation[] = [];

/**
 * Records this document's `securitypolicyviolation` events from when this module is evaluated (a module
 * that imports it first hears what its later imports report).
 */
document.addEventListener('securitypolicyviolation', (event) => {
  const path = (url: string) => url.replace(self.origin, ''); // self.origin: a srcdoc document's location has none
  seen.push({ directive: event.effectiveDirective, blockedURI: path(event.blockedURI), sourceFile: path(event.sourceFile) });
});

/** The violations recorded so far. */
export function violationsSoFar(): FrameViolation[] {
  return [...seen];
}
