import { Button, type ButtonProps, CopyButton } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/**
 * "Copy" that turns into "Copied" for a moment. The accessible name says what is copied
 * (e.g. "Copy temporary password"); the change of words is announced politely.
 */
export function CopyValueButton({ value, what, ...props }: { value: string; what: string } & Omit<ButtonProps, 'children'>) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Button
          variant={copied ? 'light' : 'default'}
          color={copied ? 'teal' : undefined}
          leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
          onClick={copy}
          aria-label={`Copy ${what}`}
          {...props}
        >
          <span aria-live="polite">{copied ? 'Copied' : 'Copy'}</span>
        </Button>
      )}
    </CopyButton>
  );
}
