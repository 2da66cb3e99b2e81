import { notifications } from '@mantine/notifications';

/** Good news is announced politely (role="status"); only failures interrupt (role="alert"). */
export function notifySuccess(title: string, message: string): void {
  notifications.show({ color: 'teal', title, message, role: 'status' });
}

export function notifyError(title: string, message: string): void {
  notifications.show({ color: 'red', title, message, role: 'alert', autoClose: 8000 });
}
