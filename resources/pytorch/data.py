"""The project's data as Netwright's run saw it: the recorded train/validation/test split, already
preprocessed with the run's fitted scaling, as NumPy arrays in data/."""
import os

import numpy as np
import torch
from torch.utils.data import Dataset

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def has_split(split, folder=DATA_DIR):
    return os.path.exists(os.path.join(folder, f"{split}_y.npy"))


class NetwrightDataset(Dataset):
    """One split ("train", "validation" or "test"): item i is (inputs, target), with one tensor per
    model input in the order of model.forward's arguments."""

    def __init__(self, split, folder=DATA_DIR):
        self.inputs = []
        while os.path.exists(os.path.join(folder, f"{split}_x{len(self.inputs)}.npy")):
            path = os.path.join(folder, f"{split}_x{len(self.inputs)}.npy")
            self.inputs.append(np.load(path, mmap_mode="r"))
        self.target = np.load(os.path.join(folder, f"{split}_y.npy"), mmap_mode="r")

    def __len__(self):
        return len(self.target)

    def __getitem__(self, index):
        inputs = tuple(torch.from_numpy(np.array(x[index])) for x in self.inputs)
        return inputs, torch.from_numpy(np.array(self.target[index]))
