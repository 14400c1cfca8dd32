// The params checks' view of the disk: folder listings, the flows of flow files and the config
// files entries name, each read once per version of the file (by modification time and size).
// The server passes the flows of the documents open in the editor, which win over the disk.
import { readdirSync, statSync } from 'node:fs';
import { analyzeText, FlowModel, forgetDocument, mayContainFlow, parseConfigFile } from '../../analyzer';
import type { ParamsHost } from './associate';
import { readRegularFile } from '../limits';

export function diskHost(openFlows: (path: string) => FlowModel[] | undefined = () => undefined): ParamsHost {
  const cache = new Map<string, { stamp: string; flows: FlowModel[] }>();
  return {
    configFile: parseConfigFile,
    listDir(dir) {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    },
    flowsOf(path) {
      const open = openFlows(path);
      if (open) return open;
      let stamp: string;
      try {
        const st = statSync(path);
        if (!st.isFile()) return undefined;
        stamp = `${st.mtimeMs}:${st.size}`;
      } catch {
        return undefined;
      }
      const hit = cache.get(path);
      if (hit?.stamp === stamp) return hit.flows;
      let flows: FlowModel[] = [];
      try {
        // Regular files within the size limit only: a FIFO or /dev/zero named as the flow is not read.
        const text = readRegularFile(path);
        if (mayContainFlow(text)) {
          flows = analyzeText(path, text, { types: false }).flows;
          // Not open in the editor: keep the analyzer's project small.
          forgetDocument(path);
        }
      } catch {
        return undefined;
      }
      cache.set(path, { stamp, flows });
      return flows;
    },
  };
}
