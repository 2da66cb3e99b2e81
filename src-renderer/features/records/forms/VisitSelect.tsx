import { Select } from '@mantine/core';

/** "For visit": which encounter an order or prescription belongs to (optional). */
export function VisitSelect({
  options,
  value,
  onChange,
}: {
  options: { value: string; label: string }[];
  value: string | null;
  onChange: (value: string | null) => void;
}) {
  if (options.length === 0) return null;
  return (
    <Select
      label="For visit"
      description="Optional: the encounter this belongs to"
      placeholder="Not linked to a visit"
      data={options}
      value={value}
      onChange={onChange}
      clearable
      comboboxProps={{ withinPortal: true }}
    />
  );
}
