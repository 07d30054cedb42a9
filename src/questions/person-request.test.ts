import { describe, expect, it } from 'vitest';
import { personRequest } from './person-request.js';

describe('asking for a person', () => {
  it.each(['gặp cán bộ', 'Gap can bo', 'GẶP CÁN BỘ!!!', 'cho em gặp cán bộ phường với ạ', 'Tôi muốn hỏi cán bộ', 'liên hệ cán bộ', 'cần gặp trực tiếp cán bộ', 'talk to a person', 'Can I talk to a human please?', 'I would like to speak with ward staff now', 'ask a person'])(
    '“%s” asks for a person, with no question yet',
    (text) => expect(personRequest(text)).toBe('only'),
  );

  it.each(['Hỏi cán bộ: khi nào phường họp tổ dân phố?', 'hoi can bo ve thu tuc dang ky cai nghien tu nguyen', 'I want to talk to a person about my son missing school'])(
    '“%s” asks for a person and says what about',
    (text) => expect(personRequest(text)).toBe('with-question'),
  );

  it.each(['cán bộ phường ơi', 'số điện thoại công an phường là gì', 'gặp nhau ở cán bộ', 'a person was selling pills', 'talk to me', 'hỏi thăm sức khỏe'])(
    '“%s” is not a request for a person',
    (text) => expect(personRequest(text)).toBe('none'),
  );
});
