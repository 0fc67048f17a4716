/**
 * Turns a chosen photo into what the server stores: the centred square,
 * scaled to 256×256 on a canvas, as WebP (PNG where the browser cannot
 * encode WebP), well under the 512 KB limit.
 */
export const AVATAR_SIZE = 256;
const ACCEPTED = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_BYTES = 512 * 1024;

export class NotAnImageError extends Error {}

export async function squareAvatar(file: Blob): Promise<Blob> {
  if (!ACCEPTED.includes(file.type)) throw new NotAnImageError(file.type);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new NotAnImageError('undecodable');
  }
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = AVATAR_SIZE;
  canvas.height = AVATAR_SIZE;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('canvas unavailable');
  context.imageSmoothingQuality = 'high';
  context.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    AVATAR_SIZE,
    AVATAR_SIZE,
  );
  bitmap.close();
  for (const [type, quality] of [
    ['image/webp', 0.9],
    ['image/jpeg', 0.85],
  ] as const) {
    const blob = await toBlob(canvas, type, quality);
    // toBlob falls back to PNG for types it cannot encode: accept whatever came out if it fits.
    if (blob && blob.size <= MAX_BYTES && ACCEPTED.includes(blob.type)) return blob;
  }
  throw new Error('image too large after resizing');
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}
