// Image folders: one sub-folder per class holding PNG or JPEG files, decoded with pngjs / jpeg-js,
// converted to grayscale or RGB (the Input's channel count) and resized bilinearly to its height/width.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { applyOrientation, jpegOrientation } from './exif-orientation.ts';
import { classificationTarget } from './target.ts';
import { DataError, type Dataset, type LoadContext } from './types.ts';

const IMAGE_EXT = /\.(png|jpe?g)$/i;
/** Refuse folders with more images than this (the listing, labels and split are held in memory). */
export const MAX_IMAGES = 200_000;

export interface ImageShape {
  height: number;
  width: number;
  channels: 1 | 3;
}

export function imageShapeOf(inputShape: number[] | undefined, source: string): ImageShape {
  if (!inputShape || inputShape.length !== 3 || (inputShape[2] !== 1 && inputShape[2] !== 3)) {
    throw new DataError(
      `${source} holds images, so the Input shape must be [height, width, channels] with 1 (grayscale) or 3 (RGB) channels; it is [${inputShape ?? ''}].`,
      'invalid',
    );
  }
  return { height: inputShape[0], width: inputShape[1], channels: inputShape[2] as 1 | 3 };
}

/** Decodes a PNG or JPEG file to upright RGBA bytes (EXIF orientation applied); a file that won't decode is a DataError naming it. */
export function decodeImage(
  bytes: Buffer,
  file: string,
): { width: number; height: number; rgba: Uint8Array } {
  const isPng = bytes.length > 8 && bytes.readUInt32BE(0) === 0x89504e47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8;
  try {
    if (isPng) {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, rgba: png.data };
    }
    if (isJpeg) {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: 50,
        maxMemoryUsageInMB: 512,
      });
      const stored = { width: img.width, height: img.height, rgba: img.data };
      return applyOrientation(stored, jpegOrientation(bytes));
    }
  } catch (e) {
    // The decoders' own words ("unrecognised content at end of stream") mean nothing to a user.
    const overCap = /maxResolutionInMP|maxMemoryUsageInMB/.test(e instanceof Error ? e.message : '');
    throw new DataError(
      overCap
        ? `The image ${file} cannot be decoded: it is larger than 50 megapixels; scale it down.`
        : `The image ${file} cannot be decoded: the ${isPng ? 'PNG' : 'JPEG'} file is damaged or cut short; re-save it or remove it from the folder.`,
      'unreadable',
      { file },
    );
  }
  throw new DataError(`The image ${file} is not a PNG or JPEG file.`, 'unreadable', { file });
}

/** RGBA bytes → float pixels in [0, 1], resized bilinearly (align-corners off, like tf.image.resizeBilinear). */
export function toPixels(
  img: { width: number; height: number; rgba: Uint8Array },
  shape: ImageShape,
  out: Float32Array,
  offset: number,
): void {
  const { width: w, height: h, rgba } = img;
  const { width: W, height: H, channels: C } = shape;
  const sy = h / H;
  const sx = w / W;
  const sample = (x: number, y: number, c: number) => {
    const i = (y * w + x) * 4;
    if (C === 3) return rgba[i + c];
    return 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];
  };
  for (let Y = 0; Y < H; Y++) {
    const fy = Math.min(Math.max((Y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const dy = fy - y0;
    for (let X = 0; X < W; X++) {
      const fx = Math.min(Math.max((X + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const dx = fx - x0;
      for (let c = 0; c < C; c++) {
        const top = sample(x0, y0, c) * (1 - dx) + sample(x1, y0, c) * dx;
        const bottom = sample(x0, y1, c) * (1 - dx) + sample(x1, y1, c) * dx;
        out[offset + (Y * W + X) * C + c] = (top * (1 - dy) + bottom * dy) / 255;
      }
    }
  }
}

export async function readImageFile(file: string, shape: ImageShape): Promise<Float32Array> {
  const bytes = await fs.readFile(file).catch(() => {
    throw new DataError(`The image ${file} does not exist or cannot be read.`, 'unreadable', { file });
  });
  const out = new Float32Array(shape.height * shape.width * shape.channels);
  toPixels(decodeImage(bytes, file), shape, out, 0);
  return out;
}

export interface ImageListing {
  classNames: string[];
  files: { file: string; label: number }[];
  /** Files skipped because they are not PNG/JPEG. */
  skipped: number;
}

/** Lists <folder>/<class>/*.png|jpg; an empty class folder is a DataError naming it. */
export async function listImageFolder(folder: string): Promise<ImageListing> {
  let entries;
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch {
    throw new DataError(`The image folder ${folder} does not exist or cannot be read.`, 'unreadable', {
      file: folder,
    });
  }
  const classNames = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (classNames.length === 0) {
    throw new DataError(
      `The image folder ${folder} has no class sub-folders; put each class's images in its own folder (e.g. ${path.join(folder, 'ok')}).`,
      'invalid',
      { file: folder },
    );
  }
  const files: ImageListing['files'] = [];
  let skipped = 0;
  for (const [label, name] of classNames.entries()) {
    const dir = path.join(folder, name);
    const names = (await fs.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    const images = names.filter((n) => IMAGE_EXT.test(n));
    skipped += names.length - images.length;
    if (images.length === 0)
      throw new DataError(`The class folder ${dir} has no PNG or JPEG images.`, 'invalid', { file: dir });
    for (const n of images) files.push({ file: path.join(dir, n), label });
    if (files.length > MAX_IMAGES)
      throw new DataError(
        `The image folder ${folder} has more than ${MAX_IMAGES} images; use a smaller sample.`,
        'invalid',
        { file: folder },
      );
  }
  return { classNames, files, skipped };
}

/** What listing the folder found without refusing it, as warnings. */
export const listingWarnings = (listing: ImageListing): string[] =>
  listing.skipped > 0
    ? [
        `${listing.skipped} file${listing.skipped > 1 ? 's are' : ' is'} not PNG or JPEG and ${listing.skipped > 1 ? 'were' : 'was'} skipped.`,
      ]
    : [];

/** A folder with fewer than two classes cannot train a classifier. */
export function checkClassCount(listing: ImageListing, folder: string): void {
  if (listing.classNames.length < 2)
    throw new DataError(
      `The image folder ${folder} has only one class folder (${listing.classNames[0]}); a classifier needs at least two.`,
      'invalid',
      { file: folder },
    );
}

export async function loadImageFolder(folder: string, ctx: LoadContext, source: string): Promise<Dataset> {
  const shape = imageShapeOf(ctx.inputShapes[0], source);
  const listing = await listImageFolder(folder);
  checkClassCount(listing, folder);
  const per = shape.height * shape.width * shape.channels;
  const x = new Float32Array(listing.files.length * per);
  for (const [i, { file }] of listing.files.entries()) {
    const bytes = await fs.readFile(file);
    toPixels(decodeImage(bytes, file), shape, x, i * per);
  }
  const labels = Int32Array.from(listing.files, (f) => f.label);
  const warnings = listingWarnings(listing);
  return {
    task: 'classification',
    x: [{ data: x, shape: [listing.files.length, shape.height, shape.width, shape.channels] }],
    labels,
    classNames: listing.classNames,
    ...classificationTarget(labels, listing.classNames, ctx, source),
    encodings: [{ kind: 'image', ...shape }],
    warnings,
    source,
  };
}
