import { isValidOn } from '../content/calendar-checks.js';
import { renderText, type PlaceholderValues } from '../content/render.js';
import type { CampaignContent, ContentLibrary, MessageItem } from '../content/schemas.js';
import type { Locale } from '../platform/config.js';
import type { BroadcastContent } from './schemas.js';

/** The text a broadcast sends, taken from the content library or written for it, with the ward's facts filled in. */
export class BroadcastContentSource {
  constructor(
    private readonly library: ContentLibrary,
    private readonly placeholders: (locale: Locale) => PlaceholderValues,
  ) {}

  campaign(id: string): CampaignContent | undefined {
    return this.library.campaigns.find((c) => c.campaign.id === id);
  }

  message(campaignId: string, messageId: string): MessageItem | undefined {
    return this.campaign(campaignId)?.messages.find((m) => m.id === messageId);
  }

  /** Campaigns that hold a message with this id; usually exactly one. */
  campaignsWith(messageId: string): string[] {
    return this.library.campaigns.filter((c) => c.messages.some((m) => m.id === messageId)).map((c) => c.campaign.id);
  }

  /** The topic's items that may be sent on that day (any day when none is given), in the library's order. */
  rotationCandidates(campaignId: string, topic: string, date?: string): string[] {
    return (this.campaign(campaignId)?.messages ?? []).filter((m) => m.topic === topic && (date === undefined || isValidOn(m, date))).map((m) => m.id);
  }

  /** The item a fixed broadcast sends, or undefined for a rotation (chosen per group). */
  fixedItem(content: BroadcastContent): string | undefined {
    return content.kind === 'message' ? content.message : content.kind === 'text' ? 'text' : undefined;
  }

  /** The text as it will be sent; `itemId` names the library message for message and rotation content. */
  render(content: BroadcastContent, itemId: string | undefined, locale: Locale): string | undefined {
    if (content.kind === 'text') return renderText((locale === 'en' ? content.text.en : undefined) ?? content.text.vi, this.placeholders(locale));
    const message = itemId === undefined ? undefined : this.message(content.campaign, itemId);
    return message && renderText(message.text[locale], this.placeholders(locale));
  }
}
