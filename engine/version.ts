// Netwright's version, read from package.json (reported by EngineApi.version and written into
// exported ONNX files as the producer version).
import { promises as fs } from 'node:fs';

export async function netwrightVersion(): Promise<string> {
  const pkg = JSON.parse(await fs.readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
