import type { ModelId } from '../../scripts/lib/cameras.ts';
import { fang } from './fang/model.ts';
import type { EmulatedModel } from './model.ts';
import { yi } from './yi/model.ts';

export const EMULATED: Record<ModelId, EmulatedModel> = { fang, yi };
