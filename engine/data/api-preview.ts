// EngineApi.previewData: data problems cross the transport as EngineError { code, message }.
import path from 'node:path';
import type { DataPreview } from '../api.ts';
import { EngineError } from '../api.ts';
import type { ProjectData } from '../project/schema.ts';
import { previewData } from './preview.ts';
import { DataError } from './types.ts';

export async function previewDataForApi(data: ProjectData, projectPath?: string): Promise<DataPreview> {
  const dir = projectPath ? path.dirname(path.resolve(projectPath)) : process.cwd();
  try {
    return await previewData(data, dir);
  } catch (e) {
    if (e instanceof DataError) throw new EngineError({ code: e.kind, message: e.message });
    throw e;
  }
}
