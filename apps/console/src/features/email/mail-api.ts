/** Email's HTTP calls over the console's client (one function per route of `MAIL_PATHS`). */
import {
  API_PATHS,
  type MailPreferencesDTO,
  type MailStatusResponse,
  type UpdateMailPreferencesRequest,
} from '@parley/protocol';
import type { HttpClient } from '../../api/http-client';

export function mailApi(http: HttpClient) {
  return {
    status: () => http.request<MailStatusResponse>(API_PATHS.mailStatus),
    preferences: () => http.request<MailPreferencesDTO>(API_PATHS.ownMailPreferences),
    updatePreferences: (changes: UpdateMailPreferencesRequest) =>
      http.request<MailPreferencesDTO>(API_PATHS.ownMailPreferences, { method: 'PATCH', json: changes }),
  };
}
