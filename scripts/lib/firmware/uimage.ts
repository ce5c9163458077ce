import zlib from 'node:zlib';

/** The 64-byte U-Boot legacy image header (big endian), as the YI's `home` file carries it. */
export interface UImageHeader {
  headerCrc: number;
  time: number;
  size: number;
  load: number;
  entry: number;
  dataCrc: number;
  os: number;
  arch: number;
  type: number;
  compression: number;
  name: string;
}

export const UIMAGE_HEADER_SIZE = 64;
const MAGIC = 0x27051956;
const ARCH_ARM = 2;
const TYPE_FILESYSTEM = 7;
const COMPRESSION_NONE = 0;

export class FirmwareError extends Error {}

/**
 * Reads and checks a uImage: magic, header CRC, data size and data CRC. Returns the header
 * and the payload (for `home`, a JFFS2 image).
 */
export function parseUImage(buf: Buffer, what: string): { header: UImageHeader; data: Buffer } {
  if (buf.length < UIMAGE_HEADER_SIZE) throw new FirmwareError(`${what}: ${buf.length} bytes is too short for a uImage header (64 bytes)`);
  const magic = buf.readUInt32BE(0);
  if (magic !== MAGIC)
    throw new FirmwareError(`${what}: no uImage header (magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x27051956); give the stock 'home' file from the firmware, or an extracted /home directory`);
  const header: UImageHeader = {
    headerCrc: buf.readUInt32BE(4),
    time: buf.readUInt32BE(8),
    size: buf.readUInt32BE(12),
    load: buf.readUInt32BE(16),
    entry: buf.readUInt32BE(20),
    dataCrc: buf.readUInt32BE(24),
    os: buf[28],
    arch: buf[29],
    type: buf[30],
    compression: buf[31],
    name: buf.subarray(32, 64).toString('latin1').replace(/\0.*$/s, ''),
  };
  const zeroed = Buffer.from(buf.subarray(0, UIMAGE_HEADER_SIZE));
  zeroed.writeUInt32BE(0, 4);
  const headerCrc = zlib.crc32(zeroed);
  if (headerCrc !== header.headerCrc)
    throw new FirmwareError(`${what}: uImage header CRC is 0x${header.headerCrc.toString(16)}, computed 0x${headerCrc.toString(16)}: the header is damaged`);
  if (UIMAGE_HEADER_SIZE + header.size > buf.length)
    throw new FirmwareError(`${what}: the header says ${header.size} bytes of data but the file has ${buf.length - UIMAGE_HEADER_SIZE}: truncated`);
  const data = buf.subarray(UIMAGE_HEADER_SIZE, UIMAGE_HEADER_SIZE + header.size);
  const dataCrc = zlib.crc32(data);
  if (dataCrc !== header.dataCrc)
    throw new FirmwareError(`${what}: data CRC is 0x${dataCrc.toString(16)}, the header says 0x${header.dataCrc.toString(16)}: the image is damaged`);
  if (header.arch !== ARCH_ARM || header.type !== TYPE_FILESYSTEM || header.compression !== COMPRESSION_NONE)
    throw new FirmwareError(
      `${what}: uImage "${header.name}" is arch ${header.arch}, type ${header.type}, compression ${header.compression}; a YI home image is an uncompressed ARM filesystem image (2, 7, 0)`,
    );
  return { header, data };
}
