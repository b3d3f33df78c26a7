#!/usr/bin/env python3
# Sums the allocation samples of a JFR recording: python3 bench/jfr-allocations.py <(jfr print --events
# jdk.ObjectAllocationSample --stack-depth 64 rec.jfr). Prints weight by top frame, by the first io.blueorigin frame
# (the call in our code that allocated, or called the library that did), by class and by thread. Skips JFR's own threads (Attach Listener, JFR *).
import sys, re, collections
units = {'bytes':1,'byte':1,'kB':1e3,'MB':1e6,'GB':1e9}
events=[]; cur=None; inst=False
for line in open(sys.argv[1]):
    s=line.strip()
    if s.startswith('jdk.ObjectAllocationSample'): cur={'frames':[]}; inst=False
    elif cur is None: continue
    elif s.startswith('objectClass'): cur['cls']=s.split('=',1)[1].split('(')[0].strip()
    elif s.startswith('weight'):
        v,u=s.split('=',1)[1].split(); cur['w']=float(v.replace(',',''))*units[u]
    elif s.startswith('eventThread'): cur['thread']=s.split('"')[1]
    elif s.startswith('stackTrace'): inst=True
    elif inst and s==']': inst=False
    elif inst and s and s!='...': cur['frames'].append(re.sub(r'\s+line:.*','',s))
    elif s=='}': events.append(cur); cur=None
ev=[e for e in events if not e.get('thread','').startswith(('Attach Listener','JFR'))]
total=sum(e['w'] for e in ev)
def top(title,keyf,n=15):
    agg=collections.Counter(); cnt=collections.Counter()
    for e in ev:
        k=keyf(e)
        if k: agg[k]+=e['w']; cnt[k]+=1
    print(f"\n== {title} (weight, share of all sampled weight, samples)")
    for k,w in agg.most_common(n): print(f"{w/1e6:10.1f} MB {100*w/total:5.1f}%  {cnt[k]:5d}  {k}")
def frame(f): return re.sub(r'\(.*\)','()',f)
print(f"samples {len(ev)} (of {len(events)}; JFR's own threads left out), sampled weight {total/1e6:.1f} MB")
top("by top frame (overall)", lambda e: frame(e['frames'][0])+'  ['+e['cls']+']' if e['frames'] else None)
def ours(e):
    for f in e['frames']:
        if f.startswith('io.blueorigin'): return frame(f)+'  ['+e['cls']+']'
    return None
top("by first io.blueorigin frame (the allocating call in our code, or the call into a library that allocated)", ours)
top("by first io.blueorigin frame, any class", lambda e: next((frame(f) for f in e['frames'] if f.startswith('io.blueorigin')), '(no io.blueorigin frame)'))
top("by class allocated", lambda e: e['cls'], 10)
top("by thread", lambda e: re.sub(r'-\d+$','-N',e.get('thread','?')), 6)
