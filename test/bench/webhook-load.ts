import autocannon, { type Result } from 'autocannon';

/** The load: 50 requests in flight for 10 s. */
export const CONNECTIONS = 50;
export const DURATION_SECONDS = 10;
/** Residents writing in: enough chats that no single one dominates, as in a ward's private chats with the bot. */
const RESIDENTS = 1_000;
/** What residents ask; the service answers each from the content library, so every update means real work. */
const QUESTIONS = [
  'Ma túy đá có gây nghiện không?',
  'Tố giác ma túy ở đâu?',
  'Cai nghiện tự nguyện thì đăng ký thế nào?',
  'Thuốc lá điện tử có chứa ma túy không?',
  'Con tôi có dấu hiệu dùng ma túy thì làm sao?',
];

export interface LoadOutcome {
  result: Result;
  /** Update ids answered with a 2xx, each once however often it was answered. */
  acknowledged: Set<string>;
}

/**
 * Posts valid Zalo Bot webhook updates (text messages in private chats, in the platform's `{ok, result}` envelope)
 * with autocannon, every request a new update id (`<label>-<n>`), and notes which ids were answered 2xx. Autocannon
 * keeps one request in flight per connection, so the connection's context holds the id of the request just answered.
 */
export async function postUpdates(url: string, headers: Record<string, string>, label: string): Promise<LoadOutcome> {
  let next = 0;
  const acknowledged = new Set<string>();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest: (request, context) => {
          const n = next++;
          const updateId = `${label}-${n}`;
          context.updateId = updateId;
          const resident = `bench-resident-${n % RESIDENTS}`;
          const message = {
            message_id: updateId,
            date: Date.now(),
            chat: { id: resident, chat_type: 'PRIVATE' },
            from: { id: resident, display_name: 'Cư dân', is_bot: false },
            text: QUESTIONS[n % QUESTIONS.length],
          };
          return { ...request, body: JSON.stringify({ ok: true, result: { event_name: 'message.text.received', message } }) };
        },
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) acknowledged.add(String(context.updateId));
        },
      },
    ],
  });
  return { result, acknowledged };
}
