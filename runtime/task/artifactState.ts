// The artifacts of one task: parameters and class constants (both read-only, stored once per run),
// artifacts inherited from the parent (loaded lazily, on first read) and the ones the step sets. After the step, `persist`
// stores what changed; an inherited artifact that was never read is passed on by its hash alone.
import { deepFreeze } from '../flow/config';
import type { Datastore } from '../datastore';
import { ArtifactInfo, serializeArtifact } from '../datastore/artifacts';
import { parameterArtifact, ParameterRecord } from '../datastore/records';
import type { BlobReader } from './blobReader';
import { classesInside, lostClassWarning, registeredClassOf, restoreClasses } from './classes';
import { ClassRegistry } from '../flowcode/load';
import { NoSpaceError } from '../errors';

interface Slot {
  info?: ArtifactInfo;
  value?: unknown;
  loaded: boolean;
  dirty: boolean;
  /** A class field without a value (`x!: T`) or a function: stored only when a step assigns it. */
  constant: boolean;
}

export class ArtifactState {
  private slots = new Map<string, Slot>();
  /** Parameters and class constants: field → the run's stored value. */
  private runFields = new Map<string, ArtifactInfo>();

  constructor(
    private readonly flow: string,
    private readonly datastore: Datastore,
    private readonly blobs: BlobReader,
    /** The classes of the flow's code package: stored instances record theirs by its keys. */
    private readonly classes: ClassRegistry = new ClassRegistry(),
    /** Throws for a value that must not be stored (one holding a @secrets value), before it is written. */
    private readonly checkBytes: (name: string, bytes: Buffer) => void = () => {},
  ) {}

  /** Takes over the fields the constructor set: the run's parameters (by field), its constants, the rest. */
  installFields(
    instance: object,
    parameters: Record<string, ParameterRecord>,
    constants: Record<string, ArtifactInfo> = {},
    configs: Record<string, ParameterRecord> = {},
  ): void {
    const byField = new Map(Object.entries(parameters).map(([name, record]) => [record.field, { name, record }]));
    const configByField = new Map(Object.entries(configs).map(([name, record]) => [record.field, { name, record }]));
    for (const field of Object.keys(instance)) {
      const parameter = byField.get(field);
      const config = configByField.get(field);
      const constant = constants[field];
      if (config) {
        this.defineReadOnly(
          instance,
          field,
          parameterArtifact(config.record),
          `config '${config.name}' is read-only: steps cannot assign this.${field}`,
          true,
        );
      } else if (parameter) {
        this.defineReadOnly(
          instance,
          field,
          parameterArtifact(parameter.record),
          `parameter '${parameter.name}' is read-only: steps cannot assign this.${field}`,
        );
      } else if (constant) {
        this.defineReadOnly(
          instance,
          field,
          constant,
          `'${field}' is a class constant and read-only in steps (as in Metaflow); assign another artifact, or declare it without a value (${field}!: T) to make it an artifact`,
        );
      } else {
        this.define(instance, field, { value: (instance as Record<string, unknown>)[field], loaded: true, dirty: false, constant: true });
      }
    }
  }

  /** Makes the artifacts of a parent task readable, without loading them. */
  inherit(instance: object, artifacts: Record<string, ArtifactInfo>): void {
    for (const [name, info] of Object.entries(artifacts)) {
      if (this.runFields.has(name)) continue;
      this.define(instance, name, { info, loaded: false, dirty: false, constant: false });
    }
  }

  /** Sets an artifact by reference to a stored value (mergeArtifacts). */
  setByReference(instance: object, name: string, info: ArtifactInfo): void {
    this.define(instance, name, { info, loaded: false, dirty: false, constant: false });
  }

  /** Names the step has set or inherited (parameters included), as mergeArtifacts sees them. */
  has(instance: object, name: string): boolean {
    return Object.prototype.hasOwnProperty.call(instance, name) && !this.slots.get(name)?.constant;
  }

  /** Stores every artifact of the instance; returns name → info for the task record. */
  persist(instance: object): Record<string, ArtifactInfo> {
    const out: Record<string, ArtifactInfo> = {};
    for (const name of Object.keys(instance)) {
      const runField = this.runFields.get(name);
      if (runField) {
        out[name] = runField;
        continue;
      }
      const slot = this.slots.get(name);
      if (slot) {
        if (slot.constant && !slot.dirty) continue;
        if (!slot.loaded && slot.info) {
          out[name] = slot.info;
          continue;
        }
        out[name] = this.store(name, slot.value, slot.dirty ? undefined : slot.info);
      } else {
        out[name] = this.store(name, (instance as Record<string, unknown>)[name]);
      }
    }
    return out;
  }

  private store(name: string, value: unknown, previous?: ArtifactInfo): ArtifactInfo {
    const { bytes, info } = serializeArtifact(name, value);
    // A value that was read but came out the same is not written again.
    if (previous?.hash === info.hash) return previous;
    this.checkBytes(name, bytes);
    const className = registeredClassOf(value, this.classes);
    if (className !== undefined) info.class = className;
    const inside = classesInside(value, this.classes);
    if (inside.kept.length) info.nestedClasses = inside.kept;
    const lost = lostClassWarning(name, value, className, inside.lost);
    if (lost) {
      process.stderr.write(`flowspec: warning: ${lost}\n`);
      info.type += ' (stored as a plain object)';
    }
    try {
      this.datastore.putBlob(this.flow, info.hash, bytes);
    } catch (e) {
      if (e instanceof NoSpaceError) throw e.writing(`artifact '${name}' (${bytes.length} bytes)`);
      throw e;
    }
    return info;
  }

  private define(instance: object, name: string, slot: Slot): void {
    this.slots.set(name, slot);
    const load = () => {
      if (!slot.loaded) {
        slot.value = restoreClasses(this.blobs.value(this.flow, slot.info!.hash, `artifact '${name}'`), slot.info!, this.classes);
        slot.loaded = true;
      }
      return slot.value;
    };
    Object.defineProperty(instance, name, {
      configurable: true,
      enumerable: true,
      get: load,
      set: (value: unknown) => {
        slot.value = value;
        slot.loaded = true;
        slot.dirty = true;
      },
    });
  }

  /** A parameter or constant: the run's stored value, loaded on first read; assigning throws. */
  /** `frozen`: the value is deep-frozen when loaded (a config cannot change during a run). */
  private defineReadOnly(instance: object, field: string, info: ArtifactInfo, whyReadOnly: string, frozen = false): void {
    this.runFields.set(field, info);
    let value: unknown;
    let loaded = false;
    Object.defineProperty(instance, field, {
      configurable: false,
      enumerable: true,
      get: () => {
        if (!loaded) {
          value = this.blobs.value(this.flow, info.hash, `'${field}'`);
          if (frozen) deepFreeze(value);
          loaded = true;
        }
        return value;
      },
      set: () => {
        throw new Error(whyReadOnly);
      },
    });
  }
}
