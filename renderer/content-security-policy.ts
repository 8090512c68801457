// The renderer page's Content-Security-Policy, sent by both hosts (server/ in web mode, electron/'s
// app:// protocol): no remote content, only the app's own scripts and connections; inline styles
// are allowed because React Flow sets them; 'wasm-unsafe-eval' lets the page compile WebAssembly.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
