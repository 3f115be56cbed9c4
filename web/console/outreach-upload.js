// A file sent to the server in chunks, one after another, so that no request is large and the
// browser never reads the whole file into memory (File.slice). No imports, so node's test
// runner loads it too.

const kDefaultChunkBytes = 8 * 1024 * 1024;
const kAttempts = 3;

// Sends `file` to an upload created by `create(name, size)` ({id, chunk_bytes}) with
// `send(id, offset, blob)` ({received}), one chunk after another. A 409 answer that carries
// {received} (the server holds more or less than we thought, say an answer was lost on the way)
// moves the offset there and goes on; a chunk whose request failed on the network is sent
// again. `onProgress(received)` after each chunk. Resolves to the upload's id; throws what
// `create` or `send` threw otherwise, or an Error when the server stops taking bytes.
export async function SendInChunks(file, { create, send, onProgress = () => {} }) {
  const upload = await create(file.name, file.size);
  const chunkBytes = upload.chunk_bytes > 0 ? upload.chunk_bytes : kDefaultChunkBytes;
  let offset = 0;
  let failures = 0;
  while (offset < file.size) {
    const end = Math.min(offset + chunkBytes, file.size);
    let received;
    try {
      received = (await send(upload.id, offset, file.slice(offset, end))).received;
    } catch (failure) {
      const resumeAt = failure?.body?.received ?? failure?.body?.error?.received;
      if (failure?.status === 409 && Number.isInteger(resumeAt)) {
        received = resumeAt;
      } else if (failure instanceof TypeError && failures + 1 < kAttempts) {
        received = offset;  // fetch() failed on the network: the same chunk once more
      } else {
        throw failure;
      }
    }
    if (!Number.isInteger(received) || received > file.size) {
      throw new Error(`the server answered an impossible offset: ${received}`);
    }
    failures = received > offset ? 0 : failures + 1;
    if (failures >= kAttempts) throw new Error(`the upload does not advance past byte ${offset}`);
    offset = received;
    onProgress(offset);
  }
  return upload.id;
}
