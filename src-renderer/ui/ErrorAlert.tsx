import { Alert, type AlertProps } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** A refusal or failure as one plain sentence, announced to screen readers (role="alert"). */
export function ErrorAlert({ children, title, ...props }: { children: ReactNode; title?: ReactNode } & Omit<AlertProps, 'children' | 'title'>) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} title={title} {...props}>
      {children}
    </Alert>
  );
}
