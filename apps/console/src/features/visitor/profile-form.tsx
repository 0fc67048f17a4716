/**
 * The editable part of the full profile: name, email, phone and custom attributes. Saved as one
 * PATCH of what changed; a refusal is shown with the server's words and nothing is kept.
 */
import { DOSSIER_LIMITS, LIMITS, type UpdateVisitorRequest, type VisitorProfileDTO } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useWorkspace } from '../shell/workspace-context';
import { dossierApi } from './dossier-api';
import { refusalOf } from './dossier-parts';

export function ProfileForm({
  visitor,
  onSaved,
}: {
  visitor: VisitorProfileDTO;
  onSaved(visitor: VisitorProfileDTO): void;
}) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [name, setName] = useState(visitor.givenName ?? '');
  const [email, setEmail] = useState(visitor.email ?? '');
  const [phone, setPhone] = useState(visitor.phone ?? '');
  const [attributes, setAttributes] = useState(() =>
    Object.entries(visitor.attributes).map(([key, value]) => ({ key, value: String(value), removed: false })),
  );
  const [newKey, setNewKey] = useState('');
  const [newValue, setNewValue] = useState('');
  const [status, setStatus] = useState<{ error: string | null; saved: boolean }>({
    error: null,
    saved: false,
  });

  function changes(): UpdateVisitorRequest {
    const body: UpdateVisitorRequest = {};
    const text = (value: string) => (value.trim() === '' ? null : value.trim());
    if (text(name) !== visitor.givenName) body.name = text(name);
    if (text(email) !== visitor.email) body.email = text(email);
    if (text(phone) !== visitor.phone) body.phone = text(phone);
    const attributeChanges: Record<string, string | number | boolean | null> = {};
    for (const row of attributes) {
      if (row.removed) attributeChanges[row.key] = null;
      else if (String(visitor.attributes[row.key]) !== row.value) attributeChanges[row.key] = row.value;
    }
    if (newKey.trim()) attributeChanges[newKey.trim()] = newValue;
    if (Object.keys(attributeChanges).length > 0) body.attributes = attributeChanges;
    return body;
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const body = changes();
    if (Object.keys(body).length === 0) return;
    try {
      const { visitor: saved } = await dossierApi(workspace.http).update(visitor.id, body);
      setAttributes(
        Object.entries(saved.attributes).map(([key, value]) => ({
          key,
          value: String(value),
          removed: false,
        })),
      );
      setNewKey('');
      setNewValue('');
      setStatus({ error: null, saved: true });
      onSaved(saved);
    } catch (e) {
      setStatus({ error: refusalOf(e), saved: false });
    }
  }

  return (
    <form className="settings-section profile-form" aria-labelledby="visitor-contact" onSubmit={save}>
      <h2 id="visitor-contact">{t('dossier.contact')}</h2>
      <label>
        {t('dossier.name')}
        <input value={name} maxLength={LIMITS.displayName} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('visitor.email')}
        <input
          type="email"
          value={email}
          maxLength={LIMITS.email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      {visitor.emailSource && (
        <p className="muted small">
          {t('dossier.emailFrom', { source: t(`dossier.emailSource.${visitor.emailSource}`) })}
        </p>
      )}
      <label>
        {t('visitor.phone')}
        <input type="tel" value={phone} maxLength={LIMITS.phone} onChange={(e) => setPhone(e.target.value)} />
      </label>
      <h3>{t('dossier.attributes')}</h3>
      {attributes.length === 0 && <p className="muted small">{t('dossier.noAttributes')}</p>}
      <ul className="attribute-rows">
        {attributes.map((row, i) => (
          <li key={row.key} className={row.removed ? 'removed' : undefined}>
            <label>
              <span className="attribute-key">{row.key}</span>
              <span className="visually-hidden">{t('dossier.attributeValueOf', { name: row.key })}</span>
              <input
                value={row.value}
                disabled={row.removed}
                maxLength={DOSSIER_LIMITS.attributeValue}
                onChange={(e) =>
                  setAttributes(attributes.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))
                }
              />
            </label>
            <button
              type="button"
              className="ghost"
              aria-pressed={row.removed}
              aria-label={t('dossier.removeAttribute', { name: row.key })}
              onClick={() =>
                setAttributes(attributes.map((r, j) => (j === i ? { ...r, removed: !r.removed } : r)))
              }
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="attribute-new">
        <label>
          {t('dossier.attributeName')}
          <input
            value={newKey}
            maxLength={DOSSIER_LIMITS.attributeKey}
            onChange={(e) => setNewKey(e.target.value)}
          />
        </label>
        <label>
          {t('dossier.attributeValue')}
          <input
            value={newValue}
            maxLength={DOSSIER_LIMITS.attributeValue}
            onChange={(e) => setNewValue(e.target.value)}
          />
        </label>
      </div>
      <button type="submit">{t('dossier.save')}</button>
      <p role="status" className="small">
        {status.saved ? t('dossier.saved') : ''}
      </p>
      {status.error && (
        <p className="error small" role="alert">
          {status.error}
        </p>
      )}
    </form>
  );
}
