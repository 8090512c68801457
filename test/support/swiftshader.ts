// Dawn needs a Vulkan driver. Here and in CI that is SwiftShader, the software Vulkan driver that
// Debian's chromium package ships (.ci/run installs chromium and the libvulkan1 loader). Tests that
// run WebGPU call this before the engine first probes Dawn; without the file, Dawn finds no adapter
// and those tests fail (they never skip).
import { existsSync } from 'node:fs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Points the Vulkan loader of this process (and of children it starts) at SwiftShader. */
export function useSwiftShader(): NodeJS.ProcessEnv {
  if (existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return { ...process.env };
}
