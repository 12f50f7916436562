import { useTagColor } from '../lib/tag-colors.ts';

export function TagChip({ name }: { name: string }) {
  const color = useTagColor(name);
  return (
    <span className="tag-chip" style={color ? { ['--chip' as string]: color } : undefined}>
      {name}
    </span>
  );
}
