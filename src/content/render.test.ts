import { describe, expect, it } from 'vitest';
import { renderText } from './render.js';

const values = {
  ward_name: 'phường Lê Chân',
  police_phone: '0225 3835 xxx',
  police_address: '1 Lê Chân',
  office_hours: '7:30–17:00',
  tip_form_url: 'https://example.test/togiac',
};

describe('renderText', () => {
  it('fills in every known placeholder, spaces inside the braces allowed', () => {
    expect(renderText('Bà con {{ward_name}}: gọi {{ police_phone }} hoặc {{tip_form_url}}.', values)).toBe(
      'Bà con phường Lê Chân: gọi 0225 3835 xxx hoặc https://example.test/togiac.',
    );
  });

  it('leaves anything else as written', () => {
    expect(renderText('{{phone}} {ward_name} {{office_hours}}', values)).toBe('{{phone}} {ward_name} 7:30–17:00');
  });
});
