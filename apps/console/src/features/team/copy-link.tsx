/** A one-time link shown to copy and pass on (until Parley emails it), or a note while it is being made. */
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';

export function CopyLink({ url, label }: { url: string | null; label: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  if (!url) return <span className="muted small">{t('team.linkPreparing')}</span>;
  async function copy() {
    try {
      await navigator.clipboard.writeText(url ?? '');
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <span className="copy-link">
      <input readOnly value={url} aria-label={label} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={() => void copy()} aria-label={t('team.copyLinkOf', { what: label })}>
        {t('team.copyLink')}
      </button>
      <span role="status" className="small ok">
        {copied === 'yes' ? t('team.copied') : copied === 'failed' ? t('team.copyFailed') : ''}
      </span>
    </span>
  );
}
