import { unpackDebs } from '../lib/deb-lock.ts';
import { kernelDebs } from '../../test/qemu/kernel.ts';
console.log(await unpackDebs(kernelDebs));
