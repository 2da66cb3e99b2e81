import { ActionIcon, Button, Group, TextInput, Tooltip } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { addDays } from '../../../src-shared/time.js';

/** Previous day, today, next day and a date field; all change the same clinic date. */
export function DayNavigator({ date, today, onChange }: { date: string; today: string; onChange: (date: string) => void }) {
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap" role="group" aria-label="Day">
      <Tooltip label="Previous day">
        <ActionIcon variant="default" size={36} aria-label="Previous day" onClick={() => onChange(addDays(date, -1))}>
          <IconChevronLeft size={18} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <Button variant="default" onClick={() => onChange(today)} disabled={date === today}>
        Today
      </Button>
      <Tooltip label="Next day">
        <ActionIcon variant="default" size={36} aria-label="Next day" onClick={() => onChange(addDays(date, 1))}>
          <IconChevronRight size={18} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <TextInput
        type="date"
        aria-label="Go to a day"
        value={date}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (/^\d{4}-\d{2}-\d{2}$/.test(value)) onChange(value);
        }}
        w={160}
      />
    </Group>
  );
}
