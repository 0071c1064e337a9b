// The canonical GuardianRow as a zod schema: what validateGuardianRow promises about its
// output (normalized forms), for hosts that build rows themselves and for tests. Not used
// per row by the parser, which checks field by field for speed.
import { z } from 'zod';

const E164 = /^\+[1-9]\d{1,14}$/;

export const guardianRowSchema = z
  .object({
    line: z.number().int().positive(),
    studentSisId: z.string().min(1).refine((s) => s === s.trim(), 'not trimmed'),
    guardianSisId: z.string().min(1).refine((s) => s === s.trim(), 'not trimmed').nullable(),
    firstName: z.string().min(1).refine((s) => s === s.normalize('NFC') && !/\s\s|^\s|\s$/.test(s), 'not normalized'),
    lastName: z.string().min(1).refine((s) => s === s.normalize('NFC') && !/\s\s|^\s|\s$/.test(s), 'not normalized'),
    email: z.email().refine((s) => s === s.toLowerCase(), 'not lower-case').nullable(),
    mobilePhone: z.string().regex(E164).nullable(),
    homePhone: z.string().regex(/^\+[1-9]\d{1,14}(?:;ext=\d+)?$/).nullable(),
    language: z.string().min(2).nullable(),
    relationship: z.string().min(1).nullable(),
    kept: z.array(z.enum(['email', 'mobilePhone', 'homePhone', 'language'])).min(1).optional(),
    delete: z.boolean().optional(),
  })
  .refine(
    (row) => row.email !== null || row.mobilePhone !== null || row.kept?.includes('email') === true || row.kept?.includes('mobilePhone') === true,
    'a row needs an email or a mobile phone, or a login it does not know (kept)',
  )
  .refine((row) => (row.kept ?? []).every((field) => row[field] === null), 'a kept field has no value');

export type GuardianRowSchema = z.infer<typeof guardianRowSchema>;
