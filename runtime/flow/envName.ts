// What an environment variable may be called (POSIX: letters, digits, underscores; not a digit first).
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
