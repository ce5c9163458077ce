import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ModelId } from '../../scripts/lib/cameras.ts';
import type { EmulatedModel } from './model.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The emulator of a camera: test/qemu/<model>/model.ts, which exports `model`. */
export async function emulatedModel(id: ModelId): Promise<EmulatedModel> {
  const { model } = (await import(pathToFileURL(path.join(HERE, id, 'model.ts')).href)) as { model?: EmulatedModel };
  if (model?.id !== id) throw new Error(`test/qemu/${id}/model.ts must export \`model\` with id "${id}": the emulated camera`);
  return model;
}
