import { type Control, Controller, type FieldPathByValue, type FieldValues } from 'react-hook-form';
import { CurrencySelect, TimeZoneSelect } from '../../ui/clinicSelects.js';

/** A clinic's time zone or currency as a form field: set at setup, changed in the clinic settings. */
interface ClinicSelectFieldProps<T extends FieldValues, TTransformed> {
  control: Control<T, unknown, TTransformed>;
  name: FieldPathByValue<T, string>;
  description: string;
  placeholder?: string;
}

function ClinicSelectField<T extends FieldValues, TTransformed>({
  control,
  name,
  select: Select,
  ...props
}: ClinicSelectFieldProps<T, TTransformed> & { select: typeof TimeZoneSelect }) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <Select
          ref={field.ref}
          name={field.name}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          error={fieldState.error?.message}
          {...props}
        />
      )}
    />
  );
}

export function TimeZoneField<T extends FieldValues, TTransformed>(props: ClinicSelectFieldProps<T, TTransformed>) {
  return <ClinicSelectField {...props} select={TimeZoneSelect} />;
}

export function CurrencyField<T extends FieldValues, TTransformed>(props: ClinicSelectFieldProps<T, TTransformed>) {
  return <ClinicSelectField {...props} select={CurrencySelect} />;
}
