import { Badge, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMe } from '../auth/session.js';
import { ChangePasswordForm } from './ChangePasswordForm.js';
import { TwoFactorSection } from './TwoFactorSection.js';

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text component="dt" fz="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="dd" m={0} fw={500}>
        {children}
      </Text>
    </div>
  );
}

export function AccountPage() {
  useDocumentTitle('My account · Asclepia');
  const me = useMe();
  return (
    <Stack gap="xl" maw={760}>
      <Title order={1}>My account</Title>
      <Paper withBorder p="lg" radius="md">
        <SimpleGrid component="dl" cols={{ base: 1, sm: 3 }} spacing="md" m={0}>
          <Detail label="Name">{me.displayName}</Detail>
          <Detail label="Username">{me.username}</Detail>
          <Detail label="Role">
            <Badge variant="light" size="lg" tt="none">
              {me.role.label}
            </Badge>
          </Detail>
        </SimpleGrid>
      </Paper>
      <Stack gap="sm">
        <Title order={2} fz="h3">
          Change password
        </Title>
        <Text c="dimmed" fz="sm">
          Enter your current password, then the new one twice.
        </Text>
        <ChangePasswordForm />
      </Stack>
      <TwoFactorSection />
    </Stack>
  );
}
