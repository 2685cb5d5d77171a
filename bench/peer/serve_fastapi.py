"""The serving peer: what a Python user would write to serve the notebook's network.

FastAPI + uvicorn (one worker), torch 1.13: POST /predict {"image": base64 PNG} -> label,
index, probability, top 3; POST /predictBatch {"images": [...]} in one forward pass.
Weights are the network's initial ones: latency does not depend on them.
Run: /usr/bin/python3 bench/peer/serve_fastapi.py --port 8092
"""
import argparse, base64, io, os, sys
import torch, torch.nn as nn
import torchvision.transforms as T
from PIL import Image
from fastapi import FastAPI
from pydantic import BaseModel
from typing import List, Optional
import uvicorn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_notebook import Net

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
torch.set_num_threads(2)
model = Net().eval()
transform = T.Compose([T.Resize((32, 32)), T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
app = FastAPI()

class Request(BaseModel):
    image: str
    top: Optional[int] = 3

class Batch(BaseModel):
    images: List[Request]

def tensor(b64):
    return transform(Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB"))

def answer(p, k):
    values, idx = p.topk(k)
    return {"label": CLASSES[idx[0]], "index": int(idx[0]), "probability": float(values[0]),
            "top": [{"label": CLASSES[i], "probability": float(v)} for v, i in zip(values, idx)]}

@app.post("/predict")
def predict(r: Request):
    with torch.no_grad():
        p = model(tensor(r.image).unsqueeze(0)).softmax(1)[0]
    return answer(p, r.top)

@app.post("/predictBatch")
def predict_batch(b: Batch):
    with torch.no_grad():
        p = model(torch.stack([tensor(r.image) for r in b.images])).softmax(1)
    return {"predictions": [answer(row, 3) for row in p]}

@app.get("/health")
def health():
    return {"status": "UP"}

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8092)
    uvicorn.run(app, host="127.0.0.1", port=ap.parse_args().port, workers=1, log_level="warning")
