import { z } from 'zod';
import { inboundMessageSchema, WebhookPayloadError, type InboundMessage, type WebhookUpdate } from '../channel.js';

/**
 * Only the parts of a Telegram `Update` that Loa Phường reads; every other field passes through unchecked so that
 * fields Telegram adds later never turn a good update into a 400.
 */
const userSchema = z.object({
  id: z.number().int(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

const chatSchema = z.object({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: z.string().optional(),
});

const messageSchema = z.looseObject({
  message_id: z.number().int().nonnegative(),
  /** Seconds since the epoch. */
  date: z.number().int().nonnegative(),
  chat: chatSchema,
  /** Absent in channels; in groups, anonymous admins appear as a stand-in bot user. */
  from: userSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(z.object({ file_id: z.string() })).optional(),
  sticker: z.object({ file_id: z.string() }).optional(),
});
type TelegramMessage = z.infer<typeof messageSchema>;

const telegramUpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: messageSchema.optional(),
});

/**
 * Group housekeeping arrives as ordinary messages. Answering them as "unsupported" would make the bot talk into a
 * group every time someone joins or a message is pinned, so they are dropped instead.
 */
const SERVICE_FIELDS = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'boost_added',
  'chat_background_set',
  'write_access_allowed',
  'proximity_alert_triggered',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
] as const;

function displayName(from: z.infer<typeof userSchema>): string | undefined {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ');
  return name || from.username || undefined;
}

function content(message: TelegramMessage): Pick<InboundMessage, 'kind' | 'text'> {
  if (message.text) return { kind: 'text', text: message.text };
  // The photo's URL needs a getFile call with the bot token in it; the message carries only file ids.
  if (message.photo && message.photo.length > 0) return { kind: 'photo', text: message.caption };
  if (message.sticker) return { kind: 'sticker' };
  return { kind: 'unsupported' };
}

/**
 * Turns one Telegram `Update` (from a webhook body or from getUpdates) into Loa Phường's message shape, or says
 * why it is dropped. Throws WebhookPayloadError when the body is not an update at all.
 */
export function normaliseUpdate(body: unknown): WebhookUpdate {
  const parsed = telegramUpdateSchema.safeParse(body);
  if (!parsed.success) throw new WebhookPayloadError(`not a Telegram update: ${z.prettifyError(parsed.error)}`);
  const { update_id: updateId, message } = parsed.data;
  if (!message) {
    const kind = Object.keys(parsed.data).find((key) => key !== 'update_id') ?? 'empty';
    return { kind: 'ignored', reason: `${kind} updates are not handled` };
  }
  if (message.chat.type === 'channel') return { kind: 'ignored', reason: 'channel messages are not handled' };
  if (!message.from) return { kind: 'ignored', reason: 'message without a sender' };
  if (SERVICE_FIELDS.some((field) => field in message)) return { kind: 'ignored', reason: 'service message' };

  const normalised = inboundMessageSchema.safeParse({
    platform: 'telegram',
    updateId: String(updateId),
    chat: {
      id: String(message.chat.id),
      kind: message.chat.type === 'private' ? 'private' : 'group',
      title: message.chat.title,
    },
    sender: { id: String(message.from.id), displayName: displayName(message.from) },
    ...content(message),
    sentAt: message.date * 1000,
  } satisfies InboundMessage);
  if (!normalised.success) {
    throw new WebhookPayloadError(`Telegram update out of bounds: ${z.prettifyError(normalised.error)}`);
  }
  return { kind: 'message', message: normalised.data };
}
