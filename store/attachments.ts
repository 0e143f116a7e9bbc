// Attachment files in MongoDB GridFS (the driver's bucket `attachments`): uploaded through the API or taken from
// mail. A file is reachable only through a ticket that lists it (api/attachments), never by its id alone.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GridFSBucket, type Db } from 'mongodb';

export interface StoredFile {
  id: string;
  name: string;
  type: string;
  size: number;
  /** Who put it there: a user id for uploads, `email:<address>` for mail. */
  owner: string;
  sha256: string;
  uploadedAt: string;
}

interface FileMetadata {
  name: string;
  type: string;
  owner: string;
  sha256: string;
}

export class AttachmentStore {
  private readonly bucket: GridFSBucket;

  constructor(private readonly db: Db) {
    this.bucket = new GridFSBucket(db, { bucketName: 'attachments' });
  }

  /**
   * Stores the file under this id once: a retry (a redelivered mail) finds it stored. GridFS writes the chunks
   * before the file document, so chunks without one are a write that died half-way: they are removed first.
   */
  async put(id: string, file: { name: string; type: string; owner: string; content: Buffer }): Promise<StoredFile> {
    const existing = await this.find(id);
    if (existing) return existing;
    await this.db.collection('attachments.chunks').deleteMany({ files_id: id as never });
    const metadata: FileMetadata = { name: file.name, type: file.type, owner: file.owner, sha256: createHash('sha256').update(file.content).digest('hex') };
    await new Promise<void>((resolve, reject) => {
      const upload = this.bucket.openUploadStreamWithId(id as never, file.name, { metadata });
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(file.content);
    });
    const stored = await this.find(id);
    if (!stored) throw new Error(`attachment ${id} was written but cannot be read back`);
    return stored;
  }

  async find(id: string): Promise<StoredFile | null> {
    const [doc] = await this.bucket.find({ _id: id as never }).limit(1).toArray();
    if (!doc) return null;
    const meta = (doc.metadata ?? {}) as Partial<FileMetadata>;
    return { id, name: meta.name ?? doc.filename, type: meta.type ?? 'application/octet-stream', size: doc.length, owner: meta.owner ?? '', sha256: meta.sha256 ?? '', uploadedAt: doc.uploadDate.toISOString() };
  }

  open(id: string): Readable {
    return this.bucket.openDownloadStream(id as never);
  }
}
