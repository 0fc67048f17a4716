/**
 * Files both ways: what a message carries when a visitor or an operator
 * attaches a file, the types a site may allow, and the upload paths. An
 * upload is stored first (HTTP, one file per request, the raw bytes as the
 * body); the message that references it goes over the socket afterwards with
 * its `fileIds`, so a message never exists without its stored file.
 */

/**
 * Types a site may allow, as the server detects them from the content (magic
 * bytes), never from the name or the declared type. Images are served inline
 * (previews); everything else as a download. SVG and HTML are never allowed:
 * a browser would run them.
 */
export const FILE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/zip',
] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** The raster image types: shown as previews and served inline. */
export const IMAGE_FILE_TYPES: readonly FileType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** Per-site limits on files; the server enforces them, clients check first to say no sooner. */
export interface FileSettings {
  maxBytes: number;
  allowedTypes: FileType[];
}

export const FILE_LIMITS = {
  /** What a site starts with. */
  defaultMaxBytes: 10 * 1024 * 1024,
  /** The most a site may allow. */
  maxBytes: 50 * 1024 * 1024,
  /** The least a site may set. */
  minBytes: 1024,
  /** Files one message may carry. */
  perMessage: 5,
  /** A file's name as shown and stored, in characters. */
  name: 200,
  /** Uploads one visitor may start per minute. */
  visitorUploadsPerMinute: 20,
} as const;

export const DEFAULT_FILE_SETTINGS: FileSettings = {
  maxBytes: FILE_LIMITS.defaultMaxBytes,
  allowedTypes: [...IMAGE_FILE_TYPES, 'application/pdf', 'text/plain'],
};

/** A stored file as a message carries it. */
export interface AttachmentDTO {
  /** Random and unguessable; fetch it at `API_PATHS_FILES.file(id)` with your own credentials. */
  id: string;
  name: string;
  contentType: FileType;
  size: number;
  /** Where to fetch it (operators: with the session cookie; visitors: with the visitor token as a bearer). */
  url: string;
}

/** The answer to an upload: the stored file, to reference in `message.send`'s `fileIds`. */
export interface UploadFileResponse {
  file: AttachmentDTO;
}

/** The upload's query: the file's name as the person chose it (shown, never trusted for its type). */
export interface UploadFileQuery {
  name: string;
}

export const FILE_PATHS = {
  /** Visitor upload (bearer visitor token), raw bytes as `application/octet-stream`, `?name=`. */
  widgetFiles: '/api/widget/files',
  /** Operator upload for one conversation (session cookie + CSRF), raw bytes, `?name=`. */
  conversationFiles: (conversationId: string) => `/api/conversations/${conversationId}/files`,
  /** A stored file. */
  file: (id: string) => `/api/files/${id}`,
} as const;
