/// <reference lib="dom" />
/**
 * A frame whose document runs under a Content-Security-Policy, in the vitest browser page (which has none):
 * a `srcdoc` document with the policy in a `<meta http-equiv>` and policy-frame.ts as a module script from
 * the test server. Chromium enforces a meta-delivered policy's script-src (eval, WebAssembly) as it does the
 * response header's; the playground's tests (apps/playground) serve the header itself. As in
 * @rmsprop/backend-gpujs's browser tests.
 */
import type { PolicyFrame } from './policy-frame.js';

let frames = 0;

/** Escapes a policy for an HTML attribute. */
function attribute(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

/** Opens a frame under `policy`; resolves once its module has run. Remove it with `close()`. */
export async function openPolicyFrame(policy: string): Promise<PolicyFrame & { close(): void }> {
  const iframe = document.createElement('iframe');
  iframe.id = `policy-frame-${++frames}`;
  const entry = new URL('./policy-frame.ts', import.meta.url).href;
  iframe.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${attribute(policy)}"><script type="module" src="${attribute(entry)}"></script>`;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the frame under "${policy}" did not load its module in 30 s`)), 30_000);
    addEventListener('message', function listen(event: MessageEvent) {
      if ((event.data as { policyFrameReady?: string } | null)?.policyFrameReady !== iframe.id) return;
      removeEventListener('message', listen);
      clearTimeout(timer);
      resolve();
    });
  });
  document.body.append(iframe);
  await ready;
  const frame = (iframe.contentWindow as unknown as { policyFrame: PolicyFrame }).policyFrame;
  return { ...frame, close: () => iframe.remove() };
}
