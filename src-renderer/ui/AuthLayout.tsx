import { Box, Center, Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconBuildingHospital } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The frame of the screens shown before anyone is signed in: setup, unlock, sign-in. */
export function AuthLayout({ children, width = 420, clinicName }: { children: ReactNode; width?: number; clinicName?: string | null }) {
  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)" py={48} px="md">
      <Center>
        <Stack w="100%" maw={width} gap="lg">
          <Group gap="xs" justify="center">
            <ThemeIcon size={36} radius="md" variant="filled" aria-hidden>
              <IconBuildingHospital size={22} />
            </ThemeIcon>
            <Box>
              <Text fw={700} fz="lg" lh={1.1}>
                Asclepia
              </Text>
              {clinicName ? (
                <Text c="dimmed" fz="sm" lh={1.2}>
                  {clinicName}
                </Text>
              ) : null}
            </Box>
          </Group>
          <Paper component="main" withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} radius="lg">
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
