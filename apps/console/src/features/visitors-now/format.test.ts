import { describe, expect, it } from 'vitest';
import type { Translate } from '../../i18n/i18n';
import { ru } from '../../i18n/ru';
import { deviceKindLabel, deviceOf } from './format';

const russian: Translate = (key) => ru[key];

describe('device', () => {
  it('names the device kinds in the console language, and shows an unknown kind as the server sent it', () => {
    expect(deviceKindLabel(russian, 'desktop')).toBe('Компьютер');
    expect(deviceKindLabel(russian, 'tablet')).toBe('Планшет');
    expect(deviceKindLabel(russian, 'fridge')).toBe('fridge');
    expect(deviceKindLabel(russian, null)).toBeNull();
    expect(deviceOf(russian, { device: 'mobile', browser: 'Safari', os: 'iOS' })).toBe(
      'Телефон · Safari · iOS',
    );
  });
});
