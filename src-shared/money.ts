import { z } from 'zod';

export function listCurrencies(): string[] {
  return Intl.supportedValuesOf('currency');
}

export const currencyCode = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/, 'Use a three-letter currency code such as USD, EUR or KES')
  .refine((code) => listCurrencies().includes(code), 'That currency code is not known; pick one from the list');
