/**
 * What a message carries: pictures as previews (click opens the full picture
 * in a new tab), other files as name and size, downloaded on click (the
 * server sends them as attachments). The console fetches with its session
 * cookie, so the file's URL is used as it is.
 */
import { type AttachmentDTO, IMAGE_FILE_TYPES } from '@parley/protocol';
import { useI18n } from '../../i18n/i18n';
import { DocumentIcon } from './file-icons';
import { formatSize } from './format-size';

export function MessageFiles({ files }: { files: AttachmentDTO[] }) {
  const { t } = useI18n();
  return (
    <ul className="message-files">
      {files.map((file) => (
        <li key={file.id}>
          {IMAGE_FILE_TYPES.includes(file.contentType) ? (
            <a
              className="file-image"
              href={file.url}
              target="_blank"
              rel="noopener noreferrer"
              aria-label={t('files.openImage', { name: file.name })}
            >
              <img src={file.url} alt={file.name} loading="lazy" />
            </a>
          ) : (
            <a className="file-download" href={file.url} download={file.name}>
              <DocumentIcon /> <span className="file-name">{file.name}</span>{' '}
              <span className="file-size">{formatSize(file.size)}</span>
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
