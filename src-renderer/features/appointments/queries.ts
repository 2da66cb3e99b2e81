import { useQueryClient } from '@tanstack/react-query';

/**
 * Fetch again everything that shows appointments or free time. The main side's table-change
 * events do this too; calling it at once means the screen never shows a slot it just refused.
 */
export function useRefreshAppointments(): () => void {
  const queryClient = useQueryClient();
  return () => {
    for (const name of ['appointments.board', 'appointments.availability', 'appointments.nextAvailable', 'appointments.list', 'appointments.reminders']) {
      void queryClient.invalidateQueries({ queryKey: [name] });
    }
  };
}
