import type { MantineColor } from '@mantine/core';
import { type Icon, IconAddressBook, IconHeartbeat, IconPill, IconShieldCog, IconStethoscope, IconUser, IconUserHeart } from '@tabler/icons-react';
import type { RoleName } from '../../../src-shared/permissions.js';

export interface RoleHome {
  title: string;
  icon: Icon;
  color: MantineColor;
}

/** Each default role's home has its own name, icon and accent, so a shared screen is never mistaken for another desk's. */
const ROLE_HOMES: Record<RoleName, RoleHome> = {
  admin: { title: 'Administration', icon: IconShieldCog, color: 'indigo' },
  front_desk: { title: 'Front desk', icon: IconAddressBook, color: 'blue' },
  doctor: { title: 'Doctor', icon: IconStethoscope, color: 'teal' },
  nurse: { title: 'Nurse station', icon: IconHeartbeat, color: 'pink' },
  pharmacist: { title: 'Pharmacy', icon: IconPill, color: 'green' },
  patient: { title: 'My health record', icon: IconUserHeart, color: 'cyan' },
};

/** A custom role (made by an administrator) is named by its own label. */
export function roleHome(role: { name: string; label: string }): RoleHome {
  return Object.hasOwn(ROLE_HOMES, role.name) ? ROLE_HOMES[role.name as RoleName] : { title: role.label, icon: IconUser, color: 'gray' };
}
