import { FlowSpec, JSONType, Parameter, step } from 'flowspec';

/** Parameters of every type: run with `--epochs 5 --config '{"lr":0.1}'`, or see `--help`. */
export class ParameterFlow extends FlowSpec {
  name = Parameter('name', { help: 'Who to greet', required: true, type: String });
  epochs = Parameter('epochs', { help: 'Passes over the data', default: 3 });
  verbose = Parameter('verbose', { help: 'Print each epoch', default: false });
  config = Parameter('config', { help: 'Model settings', type: JSONType, default: '{"lr": 0.01, "layers": [64, 32]}' });

  @step start() {
    console.log(`hello ${this.name}: ${this.epochs} epochs, lr ${this.config.lr}`);
    this.losses = [];
    for (let epoch = 0; epoch < this.epochs; epoch++) {
      this.losses.push(1 / (epoch + 1));
      if (this.verbose) console.log(`epoch ${epoch}: loss ${this.losses[epoch]}`);
    }
    this.next(this.end);
  }

  @step end() {
    console.log(`final loss ${this.losses[this.losses.length - 1]}`);
  }
}
