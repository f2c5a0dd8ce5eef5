/**
 * Research themes a simulated team cares about, judged by a paper's HF `ai_keywords`: a paper
 * is in the theme when one of its keywords contains one of the substrings (ignoring case).
 * The substrings were chosen against the corpus's keywords: "code" alone would take in
 * every "encoder", "coding" every "decoding", "swe" every "answer".
 */
export interface Theme {
  name: string;
  substrings: string[];
}

export const THEMES: readonly Theme[] = [
  { name: 'robotics / embodied', substrings: ['robot', 'embodied', 'vision-language-action', 'humanoid', 'manipulation', 'locomotion', 'grasp'] },
  { name: 'speech / audio', substrings: ['speech', 'audio', 'music', 'voice', 'sound', 'asr'] },
  { name: 'medical / clinical', substrings: ['medical', 'clinical', 'biomedical', 'health', 'patient', 'radiolog', 'patholog', 'disease', 'drug'] },
  { name: '3D / gaussian splatting', substrings: ['3d', 'gaussian splatting', '3dgs', 'nerf', 'radiance field', 'point cloud', 'mesh'] },
  {
    name: 'code generation / software',
    substrings: ['code generation', 'software', 'coding agent', 'agentic coding', 'vibe coding', 'swe-bench', 'code llm', 'livecodebench', 'program synthesis', 'program repair', 'code completion', 'code understanding', 'code execution', 'executable code', 'competitive programming'],
  },
];

export function inTheme(keywords: readonly string[], theme: Theme): boolean {
  return keywords.some((k) => {
    const lower = k.toLowerCase();
    return theme.substrings.some((s) => lower.includes(s));
  });
}
