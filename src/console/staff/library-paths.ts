import { inLanguage, type ConsolePage } from '../auth/login-page.js';
import type { Month } from './month-grid.js';
import { CALENDAR_PATH, CONTENT_PATH } from './staff-page.js';

export const QA_PATH = `${CONTENT_PATH}/qa`;
export const messagePath = (campaign: string, id: string) => `${CONTENT_PATH}/${encodeURIComponent(campaign)}/${encodeURIComponent(id)}`;
export const qaPath = (id: string) => `${QA_PATH}/${encodeURIComponent(id)}`;
/** A month of the calendar, in the page's language. */
export const calendarMonthPath = (month: Month, page: ConsolePage) => `${inLanguage(CALENDAR_PATH, page.locale)}&month=${month}`;
