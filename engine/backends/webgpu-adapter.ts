// What a WebGPU adapter is, in the words the backend badge and reasons use: its display name, the
// native API Dawn drives it through, and whether it is a software renderer (which `auto` never
// picks). Pure functions of the adapter's GPUAdapterInfo, so they are tested with the values real
// drivers report.

/** The fields of GPUAdapterInfo this module reads (normalised lowercase identifiers, per the spec). */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** GPUAdapterInfo.isFallbackAdapter (older Dawn: GPUAdapter.isFallbackAdapter). */
  isFallbackAdapter: boolean;
}

// CPU implementations of Vulkan, D3D12 and Metal: correct but slower than the CPU backends.
const SOFTWARE_RENDERERS: [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft[\s-]basic[\s-]render|\bwarp\b/i, 'Microsoft Basic Render Driver'],
];

/** The software renderer's name when the adapter is one (or a fallback adapter), else null. */
export function softwareRenderer(f: AdapterFacts): string | null {
  const text = [f.vendor, f.architecture, f.device, f.description].join(' ');
  for (const [pattern, name] of SOFTWARE_RENDERERS) if (pattern.test(text)) return name;
  return f.isFallbackAdapter ? 'a fallback (software) adapter' : null;
}

const VENDORS: Record<string, string> = {
  nvidia: 'NVIDIA',
  amd: 'AMD',
  ati: 'AMD',
  intel: 'Intel',
  apple: 'Apple',
  qualcomm: 'Qualcomm',
  arm: 'Arm',
  google: 'Google',
  microsoft: 'Microsoft',
  mesa: 'Mesa',
  imgtec: 'Imagination',
  samsung: 'Samsung',
};

/** Short model words keep their capitals ("rtx", "gtx", "h200"); longer ones get one. */
function prettyWord(word: string): string {
  if (/\d/.test(word) || word.length <= 3) return word.toUpperCase();
  return word[0].toUpperCase() + word.slice(1);
}

/** e.g. "NVIDIA H200", "AMD Radeon RX 7900 XTX", "Apple M2", "Google SwiftShader". */
export function adapterName(f: AdapterFacts): string {
  const vendor = VENDORS[f.vendor.toLowerCase()] ?? (f.vendor ? prettyWord(f.vendor) : '');
  const software = softwareRenderer(f);
  let model = '';
  if (software && !software.startsWith('a fallback')) model = software;
  else if (f.device && !/^0x[0-9a-f]+$/i.test(f.device)) {
    const words = f.device.split(/[-\s_]+/).filter(Boolean);
    if (words[0]?.toLowerCase() === f.vendor.toLowerCase()) words.shift();
    model = words.map(prettyWord).join(' ');
  } else if (f.description) model = f.description;
  else if (f.architecture) model = prettyWord(f.architecture);
  if (vendor && model.toLowerCase().startsWith(vendor.toLowerCase())) return model;
  return [vendor, model].filter(Boolean).join(' ') || 'an unnamed adapter';
}

/** The native graphics API Dawn uses by default on each desktop OS. */
export function nativeApi(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Metal';
  if (platform === 'win32') return 'D3D12';
  return 'Vulkan';
}

/** The badge: "GPU (WebGPU · NVIDIA H200 · Vulkan)", or "Software (…)" for a software renderer. */
export function webgpuLabel(f: AdapterFacts, platform: NodeJS.Platform = process.platform): string {
  const kind = softwareRenderer(f) ? 'Software' : 'GPU';
  return `${kind} (WebGPU · ${adapterName(f)} · ${nativeApi(platform)})`;
}

/** What to install when Dawn finds no adapter, per OS. */
export function driverAdvice(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Dawn needs a Metal GPU; update macOS';
  if (platform === 'win32') return 'install or update the GPU driver (D3D12 or Vulkan)';
  return "install your GPU vendor's Vulkan driver and the Vulkan loader, libvulkan1 on Debian/Ubuntu";
}
