/** The list of keyboard shortcuts, in a modal dialog. */
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import { SHORTCUTS } from './shortcuts';

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">{t('shortcuts.open')}</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.label}>
              <td>
                {shortcut.keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 && ' + '}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(shortcut.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t('shortcuts.close')}
        </button>
      </div>
    </dialog>
  );
}
